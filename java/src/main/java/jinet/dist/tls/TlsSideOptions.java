package jinet.dist.tls;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ssl options of one side (server: accepted connections; client: outgoing ones) of TLS
 * distribution, checked as OTP 25's ssl checks them, with only what jinet implements let
 * through. Later occurrences of an option win, as in ssl's option processing.
 */
public final class TlsSideOptions {
    /** Which end of a connection the options are for. */
    public enum Side {
        SERVER("server"), CLIENT("client");

        final String erlName;

        Side(String erlName) {
            this.erlName = erlName;
        }

        @Override
        public String toString() {
            return erlName;
        }
    }

    /** verify: whether the peer's certificate chain is checked. */
    public enum Verify { VERIFY_NONE, VERIFY_PEER }

    /** server_name_indication on the client: OTP's default (the peer's host), a name, or disable. */
    public static final String SNI_DISABLE = "\0disable";

    private final Side side;
    private final String source;
    private String certfile;
    private String keyfile;
    private String cacertfile;
    private String password = "";
    private Verify verify = Verify.VERIFY_NONE;
    private boolean failIfNoPeerCert;
    private int depth = 10;
    private List<String> versions;
    private List<String> ciphers;
    private String serverNameIndication;

    private TlsSideOptions(Side side, String source) {
        this.side = side;
        this.source = source;
    }

    /**
     * The options given for no side at all: OTP then hands ssl only {@code {erl_dist,true}}, so
     * ssl's own defaults hold, TLS 1.3 included.
     */
    static TlsSideOptions none(Side side) {
        TlsSideOptions o = new TlsSideOptions(side, "no options");
        o.versions = List.of("TLSv1.3", "TLSv1.2");
        return o;
    }

    /**
     * From a list of {@code {Key, Value}} tuples, as in {@code {server, Opts}} of the option file
     * or built from {@code -ssl_dist_opt}. inet_tls_dist defaults versions to TLS 1.2 alone
     * whenever any options were given (dist_defaults/1).
     */
    static TlsSideOptions parse(Side side, OtpErlangObject opts, String source) throws TlsDistConfigException {
        TlsSideOptions o = new TlsSideOptions(side, source);
        if (!(opts instanceof OtpErlangList) && !(opts instanceof OtpErlangString)) {
            throw o.fail("the " + side + " options must be a list, not " + opts);
        }
        Map<String, OtpErlangObject> last = new LinkedHashMap<>();
        for (OtpErlangObject item : elements(opts)) {
            if (item instanceof OtpErlangTuple && ((OtpErlangTuple) item).arity() == 2
                    && ((OtpErlangTuple) item).elementAt(0) instanceof OtpErlangAtom) {
                OtpErlangTuple t = (OtpErlangTuple) item;
                String key = ((OtpErlangAtom) t.elementAt(0)).atomValue();
                last.remove(key);
                last.put(key, t.elementAt(1));
            } else {
                throw o.fail("option " + item + " is not a {Key, Value} pair jinet understands");
            }
        }
        o.versions = List.of("TLSv1.2");
        for (Map.Entry<String, OtpErlangObject> e : last.entrySet()) {
            o.set(e.getKey(), e.getValue());
        }
        if (o.failIfNoPeerCert && o.verify == Verify.VERIFY_NONE) {
            throw o.fail("options incompatible: {verify,verify_none} and {fail_if_no_peer_cert,true}");
        }
        return o;
    }

    private void set(String key, OtpErlangObject v) throws TlsDistConfigException {
        switch (key) {
            case "certfile":
                certfile = path(key, v);
                break;
            case "keyfile":
                keyfile = path(key, v);
                break;
            case "cacertfile":
                cacertfile = path(key, v);
                break;
            case "password":
                password = string(key, v);
                break;
            case "verify": {
                String a = atom(key, v);
                if (a.equals("verify_peer")) {
                    verify = Verify.VERIFY_PEER;
                } else if (a.equals("verify_none")) {
                    verify = Verify.VERIFY_NONE;
                } else {
                    throw bad(key, v);
                }
                break;
            }
            case "fail_if_no_peer_cert":
                if (side != Side.SERVER) {
                    throw fail("option fail_if_no_peer_cert is for the server side only (ssl: server_only)");
                }
                failIfNoPeerCert = bool(key, v);
                break;
            case "depth":
                depth = (int) integer(key, v, 0, 255);
                break;
            case "versions":
                versions = versions(v);
                break;
            case "ciphers":
                ciphers = ciphers(v);
                break;
            case "secure_renegotiate":
                // The JDK only renegotiates securely (RFC 5746) and never below TLS 1.2 here.
                bool(key, v);
                break;
            case "reuse_sessions":
                // A resumption cache is an optimisation; either value gives the same connections.
                if (!(side == Side.CLIENT && isAtom(v, "save"))) {
                    bool(key, v);
                }
                break;
            case "hibernate_after":
                if (!isAtom(v, "infinity")) {
                    integer(key, v, 0, Long.MAX_VALUE);
                }
                break;
            case "server_name_indication":
                if (side != Side.CLIENT) {
                    throw fail("option server_name_indication is for the client side only (ssl: client_only)");
                }
                if (isAtom(v, "disable")) {
                    serverNameIndication = SNI_DISABLE;
                } else {
                    String s = string(key, v);
                    if (s.isEmpty()) {
                        throw bad(key, v);
                    }
                    serverNameIndication = s;
                }
                break;
            case "customize_hostname_check":
                if (!(v instanceof OtpErlangList && ((OtpErlangList) v).arity() == 0)) {
                    throw fail("option customize_hostname_check with a value other than [] is not implemented by jinet: " + v);
                }
                break;
            case "crl_check":
                if (!isAtom(v, "false")) {
                    throw fail("option crl_check " + v + " is not implemented by jinet (only false)");
                }
                break;
            default:
                throw fail("option " + key + " is not implemented by jinet");
        }
    }

    private List<String> versions(OtpErlangObject v) throws TlsDistConfigException {
        List<String> out = new ArrayList<>();
        List<OtpErlangObject> items = elements(v);
        if (items == null || items.isEmpty()) {
            throw bad("versions", v);
        }
        for (OtpErlangObject item : items) {
            if (!(item instanceof OtpErlangAtom)) {
                throw bad("versions", v);
            }
            String a = ((OtpErlangAtom) item).atomValue();
            switch (a) {
                case "tlsv1.3":
                    out.add("TLSv1.3");
                    break;
                case "tlsv1.2":
                    out.add("TLSv1.2");
                    break;
                case "tlsv1.1":
                case "tlsv1":
                case "sslv3":
                    throw fail("versions: " + a + " is not implemented by jinet (tlsv1.2 and tlsv1.3 are)");
                default:
                    throw bad("versions", v);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** A colon-separated string, or a list of strings, of OpenSSL or RFC names. */
    private List<String> ciphers(OtpErlangObject v) throws TlsDistConfigException {
        List<String> names = new ArrayList<>();
        String flat = stringOrNull(v);
        if (flat != null) {
            for (String n : flat.split(":")) {
                if (!n.isEmpty()) {
                    names.add(n);
                }
            }
        } else if (v instanceof OtpErlangList) {
            for (OtpErlangObject item : ((OtpErlangList) v).elements()) {
                String s = stringOrNull(item);
                if (s == null) {
                    throw fail("ciphers: only names (strings) are implemented by jinet, not " + item);
                }
                names.add(s);
            }
        } else {
            throw bad("ciphers", v);
        }
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String jdk = CipherNames.toJdk(n);
            if (jdk == null) {
                throw fail("ciphers: " + n + " is not a cipher suite jinet implements");
            }
            out.add(jdk);
        }
        if (out.isEmpty()) {
            throw bad("ciphers", v);
        }
        return Collections.unmodifiableList(out);
    }

    // --- Erlang values -------------------------------------------------------------------

    static List<OtpErlangObject> elements(OtpErlangObject v) {
        if (v instanceof OtpErlangList) {
            OtpErlangList l = (OtpErlangList) v;
            if (!l.isProper()) {
                return null;
            }
            return List.of(l.elements());
        }
        if (v instanceof OtpErlangString) {
            List<OtpErlangObject> out = new ArrayList<>();
            ((OtpErlangString) v).stringValue().codePoints().forEach(c -> out.add(new OtpErlangLong(c)));
            return out;
        }
        return null;
    }

    /** A string (a list of character codes, possibly empty) or null when v is none. */
    static String stringOrNull(OtpErlangObject v) {
        if (v instanceof OtpErlangString) {
            return ((OtpErlangString) v).stringValue();
        }
        if (v instanceof OtpErlangList && ((OtpErlangList) v).isProper()) {
            StringBuilder sb = new StringBuilder();
            for (OtpErlangObject e : ((OtpErlangList) v).elements()) {
                if (!(e instanceof OtpErlangLong)) {
                    return null;
                }
                long c = ((OtpErlangLong) e).longValue();
                if (c < 0 || c > 0x10ffff) {
                    return null;
                }
                sb.appendCodePoint((int) c);
            }
            return sb.toString();
        }
        return null;
    }

    private String string(String key, OtpErlangObject v) throws TlsDistConfigException {
        String s = stringOrNull(v);
        if (s == null) {
            throw bad(key, v);
        }
        return s;
    }

    /** A file name: a string or a binary, as ssl takes it. */
    private String path(String key, OtpErlangObject v) throws TlsDistConfigException {
        if (v instanceof OtpErlangBinary) {
            return new String(((OtpErlangBinary) v).binaryValue(), StandardCharsets.UTF_8);
        }
        return string(key, v);
    }

    private static boolean isAtom(OtpErlangObject v, String name) {
        return v instanceof OtpErlangAtom && ((OtpErlangAtom) v).atomValue().equals(name);
    }

    private String atom(String key, OtpErlangObject v) throws TlsDistConfigException {
        if (!(v instanceof OtpErlangAtom)) {
            throw bad(key, v);
        }
        return ((OtpErlangAtom) v).atomValue();
    }

    private boolean bool(String key, OtpErlangObject v) throws TlsDistConfigException {
        if (isAtom(v, "true")) {
            return true;
        }
        if (isAtom(v, "false")) {
            return false;
        }
        throw bad(key, v);
    }

    private long integer(String key, OtpErlangObject v, long min, long max) throws TlsDistConfigException {
        if (v instanceof OtpErlangLong && ((OtpErlangLong) v).isLong()) {
            long n = ((OtpErlangLong) v).longValue();
            if (n >= min && n <= max) {
                return n;
            }
        }
        throw bad(key, v);
    }

    private TlsDistConfigException bad(String key, OtpErlangObject v) {
        return fail("bad value for option " + key + ": " + v + " ({options,{" + key + "," + v + "}})");
    }

    private TlsDistConfigException fail(String what) {
        return new TlsDistConfigException("TLS distribution, " + side + " side (" + source + "): " + what);
    }

    // --- accessors -----------------------------------------------------------------------

    public Side side() {
        return side;
    }

    /** Where the options came from, for messages: the option file, -ssl_dist_opt, or none. */
    public String source() {
        return source;
    }

    public String certfile() {
        return certfile;
    }

    /** keyfile, else certfile, as ssl reads the key from the certificate file when no keyfile is given. */
    public String keyfile() {
        return keyfile != null ? keyfile : certfile;
    }

    /** cacertfile; null when absent or empty (ssl's "" means none). */
    public String cacertfile() {
        return cacertfile == null || cacertfile.isEmpty() ? null : cacertfile;
    }

    public String password() {
        return password;
    }

    public Verify verify() {
        return verify;
    }

    public boolean failIfNoPeerCert() {
        return failIfNoPeerCert;
    }

    public int depth() {
        return depth;
    }

    /** JDK protocol names, e.g. TLSv1.2. */
    public List<String> versions() {
        return versions;
    }

    /** JDK cipher suite names; null: the provider's defaults. */
    public List<String> ciphers() {
        return ciphers;
    }

    /**
     * As given: null, {@link #SNI_DISABLE} or a name. Only for messages: erl's inet_tls_dist
     * overrides it with the peer's host (see TlsDistConfig.newClientHandler).
     */
    public String serverNameIndication() {
        return serverNameIndication;
    }

    @Override
    public String toString() {
        return side + " (" + source + "): certfile=" + certfile + " keyfile=" + keyfile()
                + " cacertfile=" + cacertfile() + " verify=" + verify.name().toLowerCase()
                + " fail_if_no_peer_cert=" + failIfNoPeerCert + " depth=" + depth + " versions=" + versions
                + (ciphers == null ? "" : " ciphers=" + ciphers)
                + (serverNameIndication == null ? "" : " server_name_indication="
                        + (serverNameIndication.equals(SNI_DISABLE) ? "disable" : serverNameIndication));
    }
}
