package jinet.dist.tls;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import jinet.dist.tls.TlsSideOptions.Side;
import jinet.dist.tls.TlsSideOptions.Verify;
import jinet.term.TermReader;

/**
 * The distribution protocol and, for {@code -proto_dist inet_tls}, the TLS configuration of
 * both sides, read from erl's flags exactly as OTP 25 reads them (net_kernel for
 * {@code -proto_dist}, ssl_dist_sup for {@code -ssl_dist_optfile}, inet_tls_dist for
 * {@code -ssl_dist_opt}), and turned into Netty {@link SslContext}s.
 *
 * <p>erl checks most of this only when a connection is made, and then refuses every
 * connection; jinet checks it all here, once, so that a configuration it cannot honour stops
 * the start with a message naming the culprit.
 */
public final class TlsDistConfig {
    /** net_kernel's connecttime() default (net_setuptime 7 s), which inet_tls_dist gives ssl. */
    public static final long HANDSHAKE_TIMEOUT_MILLIS = 7000;

    /** Compiled on first use: a node without -ssl_dist_optfile never needs it (nor regex at start). */
    private static final class Utf8Coding {
        static final Pattern PATTERN = Pattern.compile(
                "^[ \\t]*%.*coding[:=][ \\t]*(?i:utf-?8)", Pattern.MULTILINE);
    }

    private final String protoDist;
    private final List<String> warnings;
    private final TlsSideOptions server;
    private final TlsSideOptions client;
    private final SslContext serverContext;
    private final SslContext clientContext;

    private TlsDistConfig(String protoDist, List<String> warnings, TlsSideOptions server,
                          TlsSideOptions client) throws TlsDistConfigException {
        this.protoDist = protoDist;
        this.warnings = Collections.unmodifiableList(warnings);
        this.server = server;
        this.client = client;
        this.serverContext = server == null ? null : buildContext(server);
        this.clientContext = client == null ? null : buildContext(client);
    }

    /**
     * From the whole command line as erl would get it: {@code -flag value...} groups, a flag's
     * values being the words up to the next word starting with {@code -}; {@code -extra} ends
     * the flags. Words of other flags are skipped.
     */
    public static TlsDistConfig fromCommandLine(List<String> words) throws TlsDistConfigException {
        Map<String, List<List<String>>> flags = new LinkedHashMap<>();
        List<String> current = null;
        for (String w : words) {
            if (w.equals("-extra")) {
                break;
            }
            if (w.startsWith("-") && w.length() > 1) {
                current = new ArrayList<>();
                flags.computeIfAbsent(w.substring(1), k -> new ArrayList<>()).add(current);
            } else if (current != null) {
                current.add(w);
            }
        }
        return of(flags.get("proto_dist"), flags.get("ssl_dist_optfile"), flags.get("ssl_dist_opt"));
    }

    /**
     * From the flags' values as init:get_argument/1 gives them: one list of words per
     * occurrence of the flag, or null when the flag is absent.
     */
    public static TlsDistConfig of(List<List<String>> protoDist, List<List<String>> sslDistOptfile,
                                   List<List<String>> sslDistOpt) throws TlsDistConfigException {
        List<String> warnings = new ArrayList<>();
        String proto = protocol(protoDist, warnings);
        if (!proto.equals("inet_tls")) {
            // inet_tcp_dist never starts ssl_dist_sup, so erl reads neither file nor options.
            if (sslDistOptfile != null || sslDistOpt != null) {
                warnings.add("-ssl_dist_optfile and -ssl_dist_opt are not used with -proto_dist " + proto);
            }
            return new TlsDistConfig(proto, warnings, null, null);
        }
        Map<Side, OtpErlangObject> fromFile = sslDistOptfile == null ? Map.of() : readOptfile(sslDistOptfile);
        List<String> flatOpts = null;
        if (sslDistOpt != null) {
            flatOpts = new ArrayList<>();
            for (List<String> occurrence : sslDistOpt) {
                flatOpts.addAll(occurrence);
            }
        }
        TlsSideOptions server = side(Side.SERVER, fromFile, sslDistOptfile, flatOpts);
        TlsSideOptions client = side(Side.CLIENT, fromFile, sslDistOptfile, flatOpts);
        if (client.serverNameIndication() != null) {
            warnings.add("server_name_indication in the client options has no effect: as in OTP 25's"
                    + " inet_tls_dist (whose own {server_name_indication, Host} is applied after it),"
                    + " the host part of the peer's node name is sent and checked");
        }
        return new TlsDistConfig(proto, warnings, server, client);
    }

    /** net_kernel's reading of -proto_dist, with what jinet does not implement refused. */
    private static String protocol(List<List<String>> protoDist, List<String> warnings)
            throws TlsDistConfigException {
        if (protoDist == null) {
            return "inet_tcp";
        }
        if (protoDist.size() != 1) {
            // net_kernel matches {ok, [Protos]} only; with the flag given twice it uses inet_tcp.
            warnings.add("-proto_dist is given " + protoDist.size()
                    + " times; like erl, jinet then uses inet_tcp (give it once)");
            return "inet_tcp";
        }
        List<String> protos = protoDist.get(0);
        if (protos.isEmpty()) {
            throw new TlsDistConfigException("-proto_dist needs a protocol name (inet_tcp or inet_tls)");
        }
        if (protos.size() > 1) {
            throw new TlsDistConfigException("-proto_dist " + String.join(" ", protos)
                    + ": jinet implements one distribution protocol at a time (inet_tcp or inet_tls)");
        }
        String p = protos.get(0);
        if (!p.equals("inet_tcp") && !p.equals("inet_tls")) {
            throw new TlsDistConfigException("-proto_dist " + p + ": the distribution protocol module " + p
                    + "_dist is not implemented by jinet (inet_tcp and inet_tls are)");
        }
        return p;
    }

    /**
     * inet_tls_dist:get_ssl_options/1: the file's entry for the side when there is one, else
     * the -ssl_dist_opt words meant for it (with versions defaulted to TLS 1.2), else nothing.
     */
    private static TlsSideOptions side(Side side, Map<Side, OtpErlangObject> fromFile,
                                       List<List<String>> optfile, List<String> flatOpts)
            throws TlsDistConfigException {
        OtpErlangObject opts = fromFile.get(side);
        if (opts != null) {
            return TlsSideOptions.parse(side, opts, "-ssl_dist_optfile " + optfile.get(0).get(0));
        }
        if (flatOpts != null) {
            return TlsSideOptions.parse(side, flagOptions(side, flatOpts), "-ssl_dist_opt");
        }
        return TlsSideOptions.none(side);
    }

    /** inet_tls_dist:ssl_options/2: "server_X V" / "client_X V" pairs to {X, V} terms. */
    static OtpErlangList flagOptions(Side side, List<String> words) throws TlsDistConfigException {
        if (words.size() % 2 != 0) {
            throw new TlsDistConfigException("malformed_ssl_dist_opt: -ssl_dist_opt takes pairs of words"
                    + " (an option and its value), " + words.size() + " words given");
        }
        List<OtpErlangObject> out = new ArrayList<>();
        String prefix = side + "_";
        for (int i = 0; i < words.size(); i += 2) {
            String key = words.get(i);
            String value = words.get(i + 1);
            if (!key.startsWith("server_") && !key.startsWith("client_")) {
                // erl skips such a pair without a word; a typo that silently drops, say, the
                // certificate is worse than a refusal.
                throw new TlsDistConfigException("malformed_ssl_dist_opt: -ssl_dist_opt " + key
                        + ": options must start with server_ or client_");
            }
            if (!key.startsWith(prefix)) {
                continue;
            }
            String opt = key.substring(prefix.length());
            OtpErlangObject v;
            switch (opt) {
                case "certfile":
                case "cacertfile":
                case "keyfile":
                case "password":
                case "ciphers":
                    v = new OtpErlangString(value);
                    break;
                case "verify":
                case "crl_check":
                case "reuse_sessions":
                case "secure_renegotiate":
                    v = new OtpErlangAtom(value);
                    break;
                case "fail_if_no_peer_cert":
                    if (side != Side.SERVER) {
                        throw malformed(key);
                    }
                    v = new OtpErlangAtom(value);
                    break;
                case "depth":
                case "hibernate_after":
                    try {
                        v = new OtpErlangLong(Long.parseLong(value.startsWith("+") ? value.substring(1) : value));
                    } catch (NumberFormatException e) {
                        throw new TlsDistConfigException("-ssl_dist_opt " + key + " " + value
                                + ": not an integer (badarg)");
                    }
                    break;
                case "dhfile":
                    if (side != Side.SERVER) {
                        throw malformed(key);
                    }
                    throw new TlsDistConfigException("-ssl_dist_opt " + key + ": option dhfile is not implemented by jinet");
                case "verify_fun":
                case "crl_cache":
                    throw new TlsDistConfigException("-ssl_dist_opt " + key + ": option " + opt
                            + " is not implemented by jinet");
                default:
                    throw malformed(key);
            }
            out.add(new OtpErlangTuple(new OtpErlangObject[] {new OtpErlangAtom(opt), v}));
        }
        return new OtpErlangList(out.toArray(new OtpErlangObject[0]));
    }

    private static TlsDistConfigException malformed(String key) {
        return new TlsDistConfigException("malformed_ssl_dist_opt: -ssl_dist_opt " + key
                + " is not an option inet_tls_dist takes on the command line");
    }

    /** ssl_dist_sup:consult/1, then ets:insert/2's view of the result: the last entry per side. */
    private static Map<Side, OtpErlangObject> readOptfile(List<List<String>> occurrences)
            throws TlsDistConfigException {
        if (occurrences.size() != 1 || occurrences.get(0).size() != 1) {
            throw new TlsDistConfigException("bad_ssl_dist_optfile: " + occurrences
                    + ": -ssl_dist_optfile takes exactly one file name, once");
        }
        String file = occurrences.get(0).get(0);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw new TlsDistConfigException("bad_ssl_dist_optfile: cannot read " + file + ": "
                    + (e instanceof IOException ? PemFiles.reason((IOException) e) : e.getMessage()), e);
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (Utf8Coding.PATTERN.matcher(firstLines(text)).find()) {
            text = new String(bytes, StandardCharsets.UTF_8);
        }
        List<OtpErlangObject> terms;
        try {
            terms = TermReader.consult(text);
        } catch (TermReader.SyntaxException e) {
            String hint = Pattern.compile("\\bfun\\b").matcher(text).find()
                    ? " (funs, e.g. for verify_fun or customize_hostname_check, are not implemented by jinet)" : "";
            throw new TlsDistConfigException("bad_ssl_dist_optfile: " + file + ": parse_error: "
                    + e.getMessage() + hint, e);
        }
        if (terms.size() != 1) {
            throw new TlsDistConfigException("bad_ssl_dist_optfile: " + file + ": parse_error: the file must hold"
                    + " one term ending with a dot, e.g. [{server,[...]},{client,[...]}]. (found " + terms.size() + ")");
        }
        OtpErlangObject top = terms.get(0);
        List<OtpErlangObject> entries;
        if (top instanceof OtpErlangTuple) {
            entries = List.of(top);
        } else if (top instanceof OtpErlangList && ((OtpErlangList) top).isProper()) {
            entries = List.of(((OtpErlangList) top).elements());
        } else {
            throw new TlsDistConfigException("bad_ssl_dist_optfile: " + file
                    + ": expected a list of {server, Options} and {client, Options}, not " + top);
        }
        Map<Side, OtpErlangObject> out = new LinkedHashMap<>();
        for (OtpErlangObject e : entries) {
            OtpErlangTuple t = e instanceof OtpErlangTuple ? (OtpErlangTuple) e : null;
            String key = t != null && t.arity() >= 1 && t.elementAt(0) instanceof OtpErlangAtom
                    ? ((OtpErlangAtom) t.elementAt(0)).atomValue() : null;
            if (t == null || t.arity() != 2 || !("server".equals(key) || "client".equals(key))) {
                throw new TlsDistConfigException("bad_ssl_dist_optfile: " + file + ": entry " + e
                        + " is neither {server, Options} nor {client, Options}");
            }
            out.put(key.equals("server") ? Side.SERVER : Side.CLIENT, t.elementAt(1));
        }
        return out;
    }

    private static String firstLines(String text) {
        int first = text.indexOf('\n');
        int second = first < 0 ? -1 : text.indexOf('\n', first + 1);
        return second < 0 ? text : text.substring(0, second);
    }

    // --- contexts --------------------------------------------------------------------------

    private static SslContext buildContext(TlsSideOptions o) throws TlsDistConfigException {
        String where = "TLS distribution, " + o.side() + " side (" + o.source() + "): ";
        PrivateKey key = null;
        X509Certificate[] chain = null;
        List<X509Certificate> cas = List.of();
        try {
            if (o.cacertfile() != null) {
                cas = PemFiles.certificates(Path.of(o.cacertfile()));
            }
            if (o.certfile() != null && !o.certfile().isEmpty()) {
                List<X509Certificate> own = PemFiles.certificates(Path.of(o.certfile()));
                chain = withIssuers(own, cas).toArray(new X509Certificate[0]);
                key = PemFiles.privateKey(Path.of(o.keyfile()), o.password().toCharArray());
            }
        } catch (PemFiles.PemException e) {
            throw new TlsDistConfigException(where + e.getMessage(), e);
        }
        if (o.side() == Side.SERVER && chain == null) {
            throw new TlsDistConfigException(where + "no certfile: a TLS distribution node needs a certificate"
                    + " to accept connections (erl would start, then refuse every connection)");
        }
        if (o.verify() == Verify.VERIFY_PEER && cas.isEmpty()) {
            throw new TlsDistConfigException(where + "verify_peer without cacertfile: no peer certificate"
                    + " could be verified (erl would start, then refuse every connection)");
        }
        SslContextBuilder b = o.side() == Side.SERVER
                ? SslContextBuilder.forServer(key, chain)
                : SslContextBuilder.forClient();
        if (o.side() == Side.CLIENT) {
            if (chain != null) {
                b.keyManager(key, chain);
            }
            // Netty 4.2 checks the host name on every client by default; ssl checks it only
            // with verify_peer and against the name it sent, so newClientHandler decides.
            b.endpointIdentificationAlgorithm(null);
        }
        b.sslProvider(SslProvider.JDK).protocols(o.versions());
        if (o.ciphers() != null) {
            b.ciphers(o.ciphers(), IdentityCipherSuiteFilter.INSTANCE);
        }
        if (o.verify() == Verify.VERIFY_PEER) {
            b.trustManager(new VerifyingTrustManager(cas, o.depth()));
        } else {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        if (o.side() == Side.SERVER) {
            b.clientAuth(o.verify() == Verify.VERIFY_NONE ? ClientAuth.NONE
                    : o.failIfNoPeerCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsDistConfigException(where + "cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The own certificates followed by their issuers found among the CA certificates, as ssl
     * builds the chain it sends from certfile and cacertfile.
     */
    private static List<X509Certificate> withIssuers(List<X509Certificate> own, List<X509Certificate> cas) {
        List<X509Certificate> chain = new ArrayList<>(own);
        X509Certificate last = chain.get(chain.size() - 1);
        while (!last.getIssuerX500Principal().equals(last.getSubjectX500Principal())) {
            X509Certificate next = null;
            for (X509Certificate ca : cas) {
                if (ca.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && !chain.contains(ca)) {
                    next = ca;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            chain.add(next);
            last = next;
        }
        return chain;
    }

    // --- what the transport uses -----------------------------------------------------------

    /** inet_tcp or inet_tls. */
    public String protoDist() {
        return protoDist;
    }

    /** True for -proto_dist inet_tls: every connection starts with TLS. */
    public boolean enabled() {
        return serverContext != null;
    }

    /** Things erl does silently that a user should hear about (log them at start). */
    public List<String> warnings() {
        return warnings;
    }

    public TlsSideOptions serverOptions() {
        return server;
    }

    public TlsSideOptions clientOptions() {
        return client;
    }

    /** For accepted connections; null unless {@link #enabled()}. */
    public SslContext serverContext() {
        return serverContext;
    }

    /** For outgoing connections; null unless {@link #enabled()}. */
    public SslContext clientContext() {
        return clientContext;
    }

    /** The first handler of an accepted connection's pipeline. */
    public SslHandler newServerHandler(ByteBufAllocator alloc) {
        requireEnabled();
        SslHandler h = serverContext.newHandler(alloc);
        h.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
        return h;
    }

    /**
     * The first handler of an outgoing connection's pipeline. {@code peerHost} is the host part
     * of the peer's node name: inet_tls_dist sends it as server_name_indication and, with
     * verify_peer, ssl checks the server's certificate against it. A server_name_indication in
     * the client options does not change that: ssl defers that option until versions is set
     * and then applies inet_tls_dist's own, later, value (checked against erl in the tests).
     */
    public SslHandler newClientHandler(ByteBufAllocator alloc, String peerHost, int port) {
        requireEnabled();
        String name = stripDot(peerHost);
        SslHandler h = clientContext.newHandler(alloc, name, port);
        h.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
        SSLEngine engine = h.engine();
        SSLParameters p = engine.getSSLParameters();
        p.setEndpointIdentificationAlgorithm(null);
        if (name.isEmpty()) {
            p.setServerNames(Collections.emptyList());
        } else {
            if (!NetUtil.isValidIpV4Address(name) && !NetUtil.isValidIpV6Address(name)) {
                try {
                    p.setServerNames(List.of(new SNIHostName(name)));
                } catch (IllegalArgumentException e) {
                    p.setServerNames(Collections.emptyList());
                }
            }
            if (client.verify() == Verify.VERIFY_PEER) {
                p.setEndpointIdentificationAlgorithm("HTTPS");
            }
        }
        engine.setSSLParameters(p);
        return h;
    }

    private static String stripDot(String host) {
        String h = host;
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    private void requireEnabled() {
        if (!enabled()) {
            throw new IllegalStateException("-proto_dist is " + protoDist + ", not inet_tls");
        }
    }

    @Override
    public String toString() {
        return enabled() ? "inet_tls: " + server + "; " + client : protoDist;
    }
}
