package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.util.List;
import jinet.term.Terms;

/**
 * OTP's {@code #hostent{}} record. {@code addrtype} is usually inet or inet6, but the DNS and
 * hosts paths put whatever type they were asked for there, so it is a term.
 */
public record Hostent(String name, List<String> aliases, OtpErlangObject addrtype, long length,
                      List<OtpErlangObject> addrs) {
    private static final OtpErlangAtom HOSTENT = Terms.atom("hostent");
    public static final OtpErlangAtom INET = Terms.atom("inet");
    public static final OtpErlangAtom INET6 = Terms.atom("inet6");

    /** inet's make_hostent: length from the family. */
    public static Hostent of(String name, List<OtpErlangObject> addrs, List<String> aliases,
                             OtpErlangAtom family) {
        return new Hostent(name, aliases, family, Addresses.isInet6(family) ? 16 : 4, addrs);
    }

    public OtpErlangObject toTerm() {
        OtpErlangObject[] al = new OtpErlangObject[aliases.size()];
        for (int i = 0; i < al.length; i++) {
            al[i] = ErlText.string(aliases.get(i));
        }
        return new OtpErlangTuple(new OtpErlangObject[] {
            HOSTENT, ErlText.string(name), new OtpErlangList(al), addrtype,
            new OtpErlangLong(length), new OtpErlangList(addrs.toArray(new OtpErlangObject[0]))});
    }

    public OtpErlangObject ok() {
        return Terms.ok(toTerm());
    }
}
