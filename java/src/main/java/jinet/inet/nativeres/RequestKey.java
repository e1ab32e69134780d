package jinet.inet.nativeres;

import com.ericsson.otp.erlang.OtpErlangException;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's request identity {Op, Proto, Data}, where Data is the name as the caller gave it
 * (so "localhost" and [<<"localhost">>] are different requests, as in the server's ETS table)
 * or the address bytes. JInterface has two shapes for one string; both become a list here.
 */
record RequestKey(int op, int proto, Object data) {
    // equals and hashCode written out: the record's generated ones bootstrap method handles on first use
    @Override
    public boolean equals(Object o) {
        return o instanceof RequestKey k && op == k.op && proto == k.proto && java.util.Objects.equals(data, k.data);
    }

    @Override
    public int hashCode() {
        return (op * 31 + proto) * 31 + java.util.Objects.hashCode(data);
    }

    static RequestKey ofName(int proto, OtpErlangObject name) {
        return new RequestKey(PortProgram.OP_GETHOSTBYNAME, proto, canonical(name));
    }

    static RequestKey ofAddress(int proto, byte[] address) {
        return new RequestKey(PortProgram.OP_GETHOSTBYADDR, proto, new String(address, StandardCharsets.ISO_8859_1));
    }

    private static OtpErlangObject canonical(OtpErlangObject t) {
        if (t instanceof OtpErlangString || t instanceof OtpErlangList) {
            List<OtpErlangObject> items = new ArrayList<>();
            OtpErlangObject tail = t;
            while (true) {
                if (tail instanceof OtpErlangString) {
                    ((OtpErlangString) tail).stringValue().codePoints().forEach(c -> items.add(new OtpErlangLong(c)));
                    tail = null;
                    break;
                }
                if (!(tail instanceof OtpErlangList)) {
                    tail = canonical(tail);
                    break;
                }
                OtpErlangList l = (OtpErlangList) tail;
                for (OtpErlangObject e : l.elements()) {
                    items.add(canonical(e));
                }
                tail = l.getLastTail();
                if (tail == null) {
                    break;
                }
            }
            OtpErlangObject[] elements = items.toArray(new OtpErlangObject[0]);
            if (tail == null) {
                return new OtpErlangList(elements);
            }
            try {
                return new OtpErlangList(elements, tail); // elements is not empty: a tail follows a cell
            } catch (OtpErlangException e) {
                throw new IllegalStateException(e);
            }
        }
        if (t instanceof OtpErlangTuple) {
            OtpErlangTuple tuple = (OtpErlangTuple) t;
            OtpErlangObject[] elements = new OtpErlangObject[tuple.arity()];
            for (int i = 0; i < elements.length; i++) {
                elements[i] = canonical(tuple.elementAt(i));
            }
            return new OtpErlangTuple(elements);
        }
        if (t instanceof OtpErlangLong) {
            return new OtpErlangLong(((OtpErlangLong) t).bigIntegerValue());
        }
        return t;
    }
}
