package jinet.dist.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.Channel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS handshakes between a Netty server and a Netty client, each built from an option file. */
class TlsHandshakeTest {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static TlsNet net;
    static int files;

    @BeforeAll
    static void setUp() throws Exception {
        Assumptions.assumeTrue(TestPki.available(), "openssl is not installed");
        pki = TestPki.create(tmp);
        net = new TlsNet();
    }

    @AfterAll
    static void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    /** A node's config; a node always listens, so a config used as a client still has a server certificate. */
    static TlsDistConfig config(String server, String client) throws Exception {
        if (server.isEmpty()) {
            server = pki.certAndKey("server");
        }
        String f = pki.optfile("hs" + files++ + ".conf", "[{server,[" + server + "]},{client,[" + client + "]}].");
        return TlsDistConfig.fromCommandLine(List.of("-proto_dist", "inet_tls", "-ssl_dist_optfile", f));
    }

    /** Server side of s, client side of c; the outcomes of both ends' handshakes. */
    static Throwable[] handshake(TlsDistConfig s, TlsDistConfig c, String host) throws Exception {
        BlockingQueue<TlsNet.Conn> accepted = new LinkedBlockingQueue<>();
        Channel server = net.listen(s, accepted);
        try {
            TlsNet.Conn client = net.connect(c, host, TlsNet.port(server));
            Throwable clientResult = client.handshake();
            TlsNet.Conn srv = accepted.poll(15, TimeUnit.SECONDS);
            Throwable serverResult = srv == null ? new AssertionError("nothing accepted") : srv.handshake();
            if (clientResult == null && serverResult == null) {
                byte[] hello = TlsNet.sendName("x@" + host);
                client.write(hello);
                assertArrayEquals(hello, srv.read(hello.length));
            }
            client.channel.close();
            return new Throwable[] {serverResult, clientResult};
        } finally {
            server.close().sync();
        }
    }

    String strictServer() {
        return pki.certAndKey("server") + "," + pki.cacert("ca") + ",{verify,verify_peer},{fail_if_no_peer_cert,true}";
    }

    String strictClient(String ca) {
        return pki.certAndKey("client") + "," + pki.cacert(ca) + ",{verify,verify_peer}";
    }

    @Test
    void verifyPeerWithTheRightCa() throws Exception {
        Throwable[] r = handshake(config(strictServer(), ""), config("", strictClient("ca")), pki.host);
        assertNull(r[0]);
        assertNull(r[1]);
    }

    @Test
    void verifyPeerWithTheWrongCaFails() throws Exception {
        Throwable[] r = handshake(config(strictServer(), ""), config("", strictClient("other-ca")), pki.host);
        assertNotNull(r[1], "client accepted a server its CA did not sign");
    }

    @Test
    void failIfNoPeerCertRefusesAClientWithoutCertificate() throws Exception {
        Throwable[] r = handshake(config(strictServer(), ""),
                config("", pki.cacert("ca") + ",{verify,verify_peer}"), pki.host);
        assertNotNull(r[0], "server accepted a client without certificate");
    }

    @Test
    void verifyPeerAloneLetsAClientWithoutCertificateIn() throws Exception {
        Throwable[] r = handshake(config(pki.certAndKey("server") + "," + pki.cacert("ca") + ",{verify,verify_peer}", ""),
                config("", ""), pki.host);
        assertNull(r[0]);
        assertNull(r[1]);
    }

    @Test
    void untrustedClientCertificateIsRefused() throws Exception {
        Throwable[] r = handshake(config(strictServer(), ""),
                config("", pki.certAndKey("rogue") + "," + pki.cacert("ca") + ",{verify,verify_peer}"), pki.host);
        assertNotNull(r[0], "server accepted a client certificate from another CA");
    }

    @Test
    void serverNameIsCheckedUnderVerifyPeerWhateverSniSays() throws Exception {
        // As on BEAM (TlsBeamInteropTest.beamChecksJinetsName): the client options'
        // server_name_indication does not stop the check against the node's host.
        TlsDistConfig s = config(pki.certAndKey("wrongname"), "");
        assertNotNull(handshake(s, config("", pki.cacert("ca") + ",{verify,verify_peer}"), pki.host)[1]);
        assertNotNull(handshake(s, config("", pki.cacert("ca") + ",{verify,verify_peer},"
                + "{server_name_indication,disable}"), pki.host)[1]);
        assertNotNull(handshake(s, config("", pki.cacert("ca") + ",{verify,verify_peer},"
                + "{server_name_indication,\"elsewhere.invalid\"}"), pki.host)[1]);
        // The right name passes (the host part of the node name), and so does "localhost".
        assertNull(handshake(config(pki.certAndKey("server"), ""),
                config("", pki.cacert("ca") + ",{verify,verify_peer}"), pki.host)[1]);
        assertNull(handshake(config(pki.certAndKey("server"), ""),
                config("", pki.cacert("ca") + ",{verify,verify_peer}"), "localhost.")[1]);
    }

    @Test
    void depthLimitsIntermediates() throws Exception {
        TlsDistConfig s = config("{certfile,\"" + pki.file("deep-chain.pem") + "\"},{keyfile,\""
                + pki.file("deep.key") + "\"}", "");
        assertNotNull(handshake(s, config("", pki.cacert("ca") + ",{verify,verify_peer},{depth,0}"), pki.host)[1]);
        assertNull(handshake(s, config("", pki.cacert("ca") + ",{verify,verify_peer},{depth,1}"), pki.host)[1]);
    }

    @Test
    void defaultsVerifyNothing() throws Exception {
        // inet_tls_dist's default on both sides is ssl's verify_none: any server certificate
        // is taken and no client certificate is asked for.
        Throwable[] r = handshake(config(pki.certAndKey("rogue"), ""), config("", ""), pki.host);
        assertNull(r[0]);
        assertNull(r[1]);
        // ... and no name is checked either.
        assertNull(handshake(config(pki.certAndKey("wrongname"), ""), config("", ""), pki.host)[1]);
    }

    @Test
    void tls13WhenBothAskForIt() throws Exception {
        Throwable[] r = handshake(config(strictServer() + ",{versions,['tlsv1.3']}", ""),
                config("", strictClient("ca") + ",{versions,['tlsv1.3']}"), pki.host);
        assertNull(r[0]);
        assertNull(r[1]);
    }
}
