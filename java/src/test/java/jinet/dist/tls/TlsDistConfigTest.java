package jinet.dist.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jinet.dist.tls.TlsSideOptions.Verify;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line and option file as erl reads them, and the PEM formats, without any network. */
class TlsDistConfigTest {
    @TempDir
    static Path tmp;
    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        Assumptions.assumeTrue(TestPki.available(), "openssl is not installed");
        pki = TestPki.create(tmp);
    }

    static TlsDistConfig cmd(String... words) throws TlsDistConfigException {
        return TlsDistConfig.fromCommandLine(Arrays.asList(words));
    }

    static String fail(String... words) {
        return assertThrows(TlsDistConfigException.class, () -> cmd(words)).getMessage();
    }

    String goodFile() throws Exception {
        return pki.optfile("good.conf", "[{server,[" + pki.certAndKey("server") + "," + pki.cacert("ca")
                + ",{verify,verify_peer},{fail_if_no_peer_cert,true},{secure_renegotiate,true},"
                + "{reuse_sessions,false},{depth,3}]},\n {client,[" + pki.certAndKey("client") + ","
                + pki.cacert("ca") + ",{verify,verify_peer},{server_name_indication,disable}]}].\n");
    }

    @Test
    void protoDistDefaultsToTcp() throws Exception {
        TlsDistConfig c = cmd("-sname", "j", "-setcookie", "x");
        assertEquals("inet_tcp", c.protoDist());
        assertFalse(c.enabled());
        assertNull(c.serverContext());
        assertEquals("inet_tcp", cmd("-proto_dist", "inet_tcp").protoDist());
    }

    @Test
    void tcpIgnoresTlsOptionsAsErlDoes() throws Exception {
        TlsDistConfig c = cmd("-ssl_dist_optfile", "/nonexistent", "-ssl_dist_opt", "bogus");
        assertFalse(c.enabled());
        assertEquals(1, c.warnings().size());
    }

    @Test
    void unimplementedProtocolsAreRefused() {
        assertTrue(fail("-proto_dist", "inet6_tls").contains("inet6_tls"));
        assertTrue(fail("-proto_dist", "inet6_tcp").contains("inet6_tcp_dist is not implemented"));
        assertTrue(fail("-proto_dist", "inet_tcp", "inet_tls").contains("one distribution protocol"));
        assertTrue(fail("-proto_dist").contains("needs a protocol name"));
    }

    @Test
    void protoDistTwiceIsTcpAsInNetKernel() throws Exception {
        TlsDistConfig c = cmd("-proto_dist", "inet_tls", "-proto_dist", "inet_tls");
        assertEquals("inet_tcp", c.protoDist());
        assertTrue(c.warnings().get(0).contains("2 times"));
    }

    @Test
    void goodOptionFile() throws Exception {
        TlsDistConfig c = cmd("-sname", "j", "-proto_dist", "inet_tls", "-ssl_dist_optfile", goodFile(),
                "-setcookie", "c");
        assertTrue(c.enabled());
        assertEquals("inet_tls", c.protoDist());
        assertNotNull(c.serverContext());
        assertNotNull(c.clientContext());
        assertTrue(c.serverContext().isServer());
        assertTrue(c.clientContext().isClient());
        TlsSideOptions s = c.serverOptions();
        assertEquals(Verify.VERIFY_PEER, s.verify());
        assertTrue(s.failIfNoPeerCert());
        assertEquals(3, s.depth());
        // inet_tls_dist:dist_defaults/1
        assertEquals(List.of("TLSv1.2"), s.versions());
        assertEquals(TlsSideOptions.SNI_DISABLE, c.clientOptions().serverNameIndication());
        assertFalse(c.toString().contains(TestPki.PASSWORD));
    }

    @Test
    void singleTupleFileAndLastEntryWins() throws Exception {
        String f = pki.optfile("tuple.conf", "{server,[" + pki.certAndKey("server") + "]}.");
        TlsDistConfig c = cmd("-proto_dist", "inet_tls", "-ssl_dist_optfile", f);
        assertTrue(c.enabled());
        // No client entry and no -ssl_dist_opt: ssl's own defaults.
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), c.clientOptions().versions());
        String f2 = pki.optfile("twice.conf", "[{server,[{verify,verify_peer}]},{server,["
                + pki.certAndKey("server") + ",{verify,verify_peer},{verify,verify_none}]}].");
        assertEquals(Verify.VERIFY_NONE, cmd("-proto_dist", "inet_tls", "-ssl_dist_optfile", f2)
                .serverOptions().verify());
    }

    @Test
    void fileSideWinsOverFlagsPerSide() throws Exception {
        String f = pki.optfile("serveronly.conf", "[{server,[" + pki.certAndKey("server") + "]}].");
        TlsDistConfig c = cmd("-proto_dist", "inet_tls", "-ssl_dist_optfile", f,
                "-ssl_dist_opt", "server_certfile", "/nonexistent", "client_certfile", pki.file("client.pem"),
                "-ssl_dist_opt", "client_keyfile", pki.file("client.key"), "client_verify", "verify_none");
        assertEquals(pki.file("server.pem"), c.serverOptions().certfile());
        assertEquals(pki.file("client.pem"), c.clientOptions().certfile());
        assertEquals(pki.file("client.key"), c.clientOptions().keyfile());
        assertEquals("-ssl_dist_opt", c.clientOptions().source());
    }

    @Test
    void flagsAlone() throws Exception {
        TlsDistConfig c = cmd("-proto_dist", "inet_tls", "-ssl_dist_opt", "server_certfile",
                pki.file("server-combined.pem"), "server_cacertfile", pki.file("ca.pem"), "server_verify",
                "verify_peer", "server_fail_if_no_peer_cert", "true", "server_depth", "2",
                "client_certfile", pki.file("client.pem"), "client_keyfile", pki.file("client.key"),
                "client_ciphers", "ECDHE-RSA-AES256-GCM-SHA384:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertTrue(c.serverOptions().failIfNoPeerCert());
        assertEquals(2, c.serverOptions().depth());
        assertEquals(List.of("TLSv1.2"), c.clientOptions().versions());
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                c.clientOptions().ciphers());
    }

    @Test
    void badFlags() {
        String[] base = {"-proto_dist", "inet_tls", "-ssl_dist_opt"};
        assertTrue(failWith(base, "server_certfile").contains("pairs of words"));
        assertTrue(failWith(base, "certfile", "x").contains("must start with server_ or client_"));
        assertTrue(failWith(base, "server_versions", "tlsv1.2").contains("malformed_ssl_dist_opt"));
        assertTrue(failWith(base, "client_fail_if_no_peer_cert", "true").contains("malformed_ssl_dist_opt"));
        assertTrue(failWith(base, "server_depth", "two").contains("not an integer"));
        assertTrue(failWith(base, "server_verify_fun", "{m,f,[]}").contains("verify_fun is not implemented"));
        assertTrue(failWith(base, "server_dhfile", "/x").contains("dhfile is not implemented"));
        assertTrue(failWith(base, "server_verify", "maybe").contains("verify"));
    }

    private static String failWith(String[] base, String... more) {
        List<String> w = new ArrayList<>(Arrays.asList(base));
        w.addAll(Arrays.asList(more));
        return fail(w.toArray(new String[0]));
    }

    @Test
    void unreadableAndMalformedFiles() throws Exception {
        String m = fail("-proto_dist", "inet_tls", "-ssl_dist_optfile", "/nonexistent/x.conf");
        assertTrue(m.startsWith("bad_ssl_dist_optfile: cannot read /nonexistent/x.conf"), m);
        assertTrue(m.contains("enoent"), m);
        String noDot = pki.optfile("nodot.conf", "[{server, []}]\n");
        assertTrue(fail("-proto_dist", "inet_tls", "-ssl_dist_optfile", noDot).contains("parse_error"));
        String two = pki.optfile("two.conf", "[{server, []}].\n[].\n");
        assertTrue(fail("-proto_dist", "inet_tls", "-ssl_dist_optfile", two).contains("one term"));
        String withFun = pki.optfile("fun.conf",
                "[{server,[{verify_fun,{fun inet_tls_dist:verify_client/3,[]}}]}].");
        assertTrue(fail("-proto_dist", "inet_tls", "-ssl_dist_optfile", withFun).contains("funs"));
        String typo = pki.optfile("typo.conf", "[{sever,[]}].");
        assertTrue(fail("-proto_dist", "inet_tls", "-ssl_dist_optfile", typo).contains("{sever,[]}"));
        assertTrue(fail("-proto_dist", "inet_tls", "-ssl_dist_optfile", "a", "b").contains("exactly one"));
    }

    private String failFile(String serverOpts, String clientOpts) throws Exception {
        String f = pki.optfile("case.conf", "[{server,[" + serverOpts + "]},{client,[" + clientOpts + "]}].");
        return fail("-proto_dist", "inet_tls", "-ssl_dist_optfile", f);
    }

    @Test
    void badOrUnimplementedOptions() throws Exception {
        String sk = pki.certAndKey("server") + ",";
        assertTrue(failFile(sk + "{foo,bar}", "").contains("option foo is not implemented by jinet"));
        assertTrue(failFile(sk + "{dhfile,\"x\"}", "").contains("option dhfile is not implemented"));
        assertTrue(failFile(sk + "{verify,maybe}", "").contains("bad value for option verify: maybe"));
        assertTrue(failFile(sk + "{fail_if_no_peer_cert,true}", "").contains("incompatible"));
        assertTrue(failFile(pki.certAndKey("server"), "{fail_if_no_peer_cert,true}").contains("server side only"));
        assertTrue(failFile(sk + "{server_name_indication,disable}", "").contains("client side only"));
        assertTrue(failFile(sk + "{versions,['tlsv1.1']}", "").contains("tlsv1.1 is not implemented"));
        assertTrue(failFile(sk + "{versions,[tlsv9]}", "").contains("bad value for option versions"));
        assertTrue(failFile(sk + "{ciphers,\"NOPE-CIPHER\"}", "").contains("NOPE-CIPHER"));
        assertTrue(failFile(sk + "{ciphers,[{ecdhe_rsa,aes_256_gcm,aead,sha384}]}", "")
                .contains("only names"));
        assertTrue(failFile(sk + "{depth,-1}", "").contains("depth"));
        assertTrue(failFile(sk + "{crl_check,peer}", "").contains("crl_check"));
        assertTrue(failFile(sk + "{customize_hostname_check,[x]}", "").contains("customize_hostname_check"));
        assertTrue(failFile(sk + "verify_peer", "").contains("verify_peer"));
        // Accepted, as ssl takes them.
        String f = pki.optfile("ok.conf", "[{server,[" + sk + "{versions,['tlsv1.3','tlsv1.2']},"
                + "{hibernate_after,1000},{crl_check,false},{customize_hostname_check,[]}]},"
                + "{client,[{reuse_sessions,save},{server_name_indication,\"other.example\"}]}].");
        TlsDistConfig c = cmd("-proto_dist", "inet_tls", "-ssl_dist_optfile", f);
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), c.serverOptions().versions());
        assertEquals("other.example", c.clientOptions().serverNameIndication());
    }

    @Test
    void configurationsThatCanNeverWork() throws Exception {
        assertTrue(failFile("{verify,verify_none}", "").contains("no certfile"));
        assertTrue(failFile(pki.certAndKey("server") + ",{verify,verify_peer}", "")
                .contains("verify_peer without cacertfile"));
        assertTrue(failFile("{certfile,\"" + pki.file("missing.pem") + "\"}", "").contains("missing.pem"));
        assertTrue(failFile("{certfile,\"" + pki.file("server.pem") + "\"}", "")
                .contains("no private key"));
        assertTrue(failFile("{certfile,\"" + pki.file("server.pem") + "\"},{keyfile,\""
                + pki.file("server-pkcs1-enc.key") + "\"}", "").contains("no password"));
        assertTrue(failFile("{certfile,\"" + pki.file("server.pem") + "\"},{keyfile,\""
                + pki.file("server-pkcs8-enc.key") + "\"},{password,\"wrong\"}", "").contains("decrypt"));
        assertTrue(failFile("{certfile,\"" + pki.file("server.key") + "\"}", "").contains("no certificate"));
    }

    @Test
    void keyFormats() throws Exception {
        X509Certificate cert = PemFiles.certificates(pki.path("server.pem")).get(0);
        char[] pw = TestPki.PASSWORD.toCharArray();
        for (String k : List.of("server.key", "server-pkcs1.key", "server-combined.pem")) {
            assertMatches(cert, PemFiles.privateKey(pki.path(k), null), k);
        }
        for (String k : List.of("server-pkcs1-enc.key", "server-pkcs8-enc.key")) {
            assertMatches(cert, PemFiles.privateKey(pki.path(k), pw), k);
        }
        X509Certificate ec = PemFiles.certificates(pki.path("ec.pem")).get(0);
        assertMatches(ec, PemFiles.privateKey(pki.path("ec-sec1.key"), null), "ec-sec1.key");
        assertMatches(ec, PemFiles.privateKey(pki.path("ec.key"), null), "ec.key");
        assertEquals(2, PemFiles.certificates(pki.path("deep-chain.pem")).size());
        // certfile holding the key too, no keyfile: as ssl does, the key comes from certfile.
        String f = pki.optfile("combined.conf", "[{server,[{certfile,\"" + pki.file("server-combined.pem")
                + "\"}]},{client,[{certfile,\"" + pki.file("ec.pem") + "\"},{keyfile,\""
                + pki.file("ec-sec1.key") + "\"}]}].");
        assertTrue(cmd("-proto_dist", "inet_tls", "-ssl_dist_optfile", f).enabled());
        String enc = pki.optfile("enc.conf", "[{server,[{certfile,\"" + pki.file("server.pem")
                + "\"},{keyfile,\"" + pki.file("server-pkcs1-enc.key") + "\"},{password,\"" + TestPki.PASSWORD
                + "\"}]}].");
        assertTrue(cmd("-proto_dist", "inet_tls", "-ssl_dist_optfile", enc).enabled());
    }

    private static void assertMatches(X509Certificate cert, PrivateKey key, String what) throws Exception {
        String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        Signature s = Signature.getInstance(alg);
        s.initSign(key);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(alg);
        v.initVerify(cert.getPublicKey());
        v.update(new byte[] {1, 2, 3});
        assertTrue(v.verify(sig), what + " does not match the certificate");
    }
}
