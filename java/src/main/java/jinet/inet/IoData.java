package jinet.inet;

import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The bytes port_command/2 makes of iodata: a binary, or an iolist of bytes (0..255), binaries
 * and iolists, ending in {@code []} or a binary, at any depth. inet_gethost_native hands the name
 * to the port this way, and gen_tcp/gen_udp hand a socket its data.
 */
public final class IoData {
    private IoData() {
    }

    /** The bytes, or null where port_command raises badarg. */
    public static byte[] bytes(OtpErlangObject list) {
        if (!(list instanceof OtpErlangList || list instanceof OtpErlangString || isBinary(list))) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Work items: a list (or string) whose elements come next, or a binary tail.
        Deque<OtpErlangObject> todo = new ArrayDeque<>();
        todo.push(list);
        while (!todo.isEmpty()) {
            OtpErlangObject t = todo.pop();
            if (t instanceof OtpErlangString) {
                for (int cp : ((OtpErlangString) t).stringValue().codePoints().toArray()) {
                    if (cp > 255) {
                        return null;
                    }
                    out.write(cp);
                }
            } else if (t instanceof OtpErlangList) {
                OtpErlangList l = (OtpErlangList) t;
                OtpErlangObject tail = l.getLastTail();
                if (tail != null) {
                    if (!(tail instanceof OtpErlangList || tail instanceof OtpErlangString || isBinary(tail))) {
                        return null;
                    }
                    todo.push(tail);
                }
                OtpErlangObject[] elements = l.elements();
                for (int k = elements.length - 1; k >= 0; k--) {
                    todo.push(elements[k]);
                }
            } else if (isBinary(t)) {
                out.writeBytes(((OtpErlangBitstr) t).binaryValue());
            } else if (t instanceof OtpErlangLong && isByte((OtpErlangLong) t)) {
                out.write((int) ((OtpErlangLong) t).longValue());
            } else {
                return null;
            }
        }
        return out.toByteArray();
    }

    private static boolean isBinary(OtpErlangObject t) {
        return t instanceof OtpErlangBitstr && ((OtpErlangBitstr) t).pad_bits() == 0;
    }

    private static boolean isByte(OtpErlangLong n) {
        return n.isLong() && n.longValue() >= 0 && n.longValue() <= 255;
    }
}
