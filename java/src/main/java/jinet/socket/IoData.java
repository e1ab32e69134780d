package jinet.socket;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** Erlang iodata to bytes and received bytes to what the socket's mode says (binary or list). */
final class IoData {
    private IoData() {
    }

    /** The bytes of {@code data}, or null when it is not iodata. Walks nested lists without recursion. */
    static ByteBuf toBytes(OtpErlangObject data) {
        if (data instanceof OtpErlangBinary) {
            return Unpooled.wrappedBuffer(((OtpErlangBinary) data).binaryValue());
        }
        if (!(data instanceof OtpErlangList || data instanceof OtpErlangString)) {
            return null;
        }
        ByteBuf out = Unpooled.buffer();
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(data);
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (o instanceof OtpErlangBinary) {
                out.writeBytes(((OtpErlangBinary) o).binaryValue());
            } else if (o instanceof OtpErlangBitstr) {
                return null; // a bitstring that is not a whole number of bytes
            } else if (o instanceof OtpErlangString) {
                String s = ((OtpErlangString) o).stringValue();
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c > 255) {
                        return null;
                    }
                    out.writeByte(c);
                }
            } else if (o instanceof OtpErlangList) {
                OtpErlangList l = (OtpErlangList) o;
                OtpErlangObject tail = l.getLastTail();
                if (tail != null) {
                    if (!(tail instanceof OtpErlangBinary)) {
                        return null; // the only improper tail iodata allows is a binary
                    }
                    todo.push(tail);
                }
                for (int i = l.arity() - 1; i >= 0; i--) {
                    todo.push(l.elementAt(i));
                }
            } else if (o instanceof OtpErlangLong) {
                if (!SocketOption.isIntIn((OtpErlangLong) o, 0, 255)) {
                    return null;
                }
                out.writeByte(SocketOption.integer((OtpErlangLong) o));
            } else {
                return null;
            }
        }
        return out;
    }

    /** Received bytes as the socket delivers them: a binary, or a list of bytes in list mode. */
    static OtpErlangObject toTerm(ByteBuf bytes, boolean binary) {
        byte[] b = ByteBufUtil.getBytes(bytes);
        if (binary) {
            return new OtpErlangBinary(b);
        }
        return new OtpErlangString(new String(b, StandardCharsets.ISO_8859_1));
    }
}
