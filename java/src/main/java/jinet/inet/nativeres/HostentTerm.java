package jinet.inet.nativeres;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jinet.inet.AddressFormatter;
import jinet.term.Terms;

/** inet_gethost_native's parse_address: a worker's reply as the client gets it. */
final class HostentTerm {
    private HostentTerm() {
    }

    /**
     * @param defaultName what the client asked for (the name as a list, or the address tuple),
     *     the hostent's name when the reply carries none
     */
    static OtpErlangObject of(Reply reply, OtpErlangObject defaultName) {
        if (reply instanceof Reply.Error e) {
            return Terms.error(e.reason());
        }
        Reply.Hosts h = (Reply.Hosts) reply;
        OtpErlangObject[] addresses = new OtpErlangObject[h.addresses().size()];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = address(h.unit(), h.addresses().get(i));
        }
        List<byte[]> names = h.names();
        OtpErlangObject name;
        OtpErlangObject[] aliases;
        if (names.isEmpty()) {
            name = defaultName instanceof OtpErlangTuple ? ntoa((OtpErlangTuple) defaultName) : defaultName;
            aliases = new OtpErlangObject[0];
        } else {
            name = string(names.get(0));
            aliases = new OtpErlangObject[names.size() - 1];
            for (int i = 1; i < names.size(); i++) {
                aliases[i - 1] = string(names.get(i));
            }
        }
        if (addresses.length == 0) {
            return Terms.error("nxdomain");
        }
        return Terms.ok(Terms.tuple(Terms.atom("hostent"), name, new OtpErlangList(aliases),
                Terms.atom(h.unit() == 4 ? "inet" : "inet6"), new OtpErlangLong(h.unit()),
                new OtpErlangList(addresses)));
    }

    /** Four bytes, or eight big-endian 16-bit words. */
    private static OtpErlangTuple address(int unit, byte[] b) {
        if (unit == 4) {
            return Terms.tuple(octet(b[0]), octet(b[1]), octet(b[2]), octet(b[3]));
        }
        OtpErlangObject[] words = new OtpErlangObject[8];
        for (int i = 0; i < 8; i++) {
            words[i] = new OtpErlangLong((b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff));
        }
        return new OtpErlangTuple(words);
    }

    private static OtpErlangLong octet(byte b) {
        return new OtpErlangLong(b & 0xff);
    }

    /** binary_to_list: one character per byte; {@code []} for no bytes, as BEAM encodes it. */
    static OtpErlangObject string(byte[] bytes) {
        return bytes.length == 0 ? new OtpErlangList() : new OtpErlangString(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** inet_parse:ntoa of the asked address ({@code {error,einval}} for what it does not format). */
    private static OtpErlangObject ntoa(OtpErlangTuple t) {
        long[] words = new long[t.arity()];
        for (int i = 0; i < words.length; i++) {
            if (!(t.elementAt(i) instanceof OtpErlangLong) || !((OtpErlangLong) t.elementAt(i)).isLong()) {
                return Terms.error("einval");
            }
            words[i] = ((OtpErlangLong) t.elementAt(i)).longValue();
        }
        return AddressFormatter.ntoa(words).<OtpErlangObject>map(s -> string(s.getBytes(StandardCharsets.ISO_8859_1)))
                .orElse(Terms.error("einval"));
    }
}
