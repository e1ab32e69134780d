package jinet.dist.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * verify_peer: the JDK's PKIX validation against the cacertfile's certificates only (never
 * the JDK's own CA store, which ssl does not consult either), plus ssl's depth limit. Being an
 * X509ExtendedTrustManager it keeps the engine's endpoint identification, which is how the
 * client checks the server's name as ssl does.
 */
final class VerifyingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final List<X509Certificate> anchors;
    private final int depth;

    VerifyingTrustManager(List<X509Certificate> cas, int depth) throws TlsDistConfigException {
        this.anchors = List.copyOf(cas);
        this.depth = depth;
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate ca : cas) {
                ks.setCertificateEntry("ca" + i++, ca);
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(ks);
            X509ExtendedTrustManager found = null;
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager) {
                    found = (X509ExtendedTrustManager) tm;
                }
            }
            if (found == null) {
                throw new IllegalStateException("no X509ExtendedTrustManager from PKIX");
            }
            this.pkix = found;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsDistConfigException("cannot use the CA certificates: " + e.getMessage(), e);
        }
    }

    /**
     * ssl's depth: how many intermediate CA certificates may stand between the peer's and a
     * trusted one (0: the peer's is signed by a trusted CA directly).
     */
    private void checkDepth(X509Certificate[] chain) throws CertificateException {
        int intermediates = 0;
        for (int i = 1; i < chain.length; i++) {
            if (anchors.contains(chain[i])) {
                break;
            }
            intermediates++;
        }
        if (intermediates > depth) {
            throw new CertificateException("certificate chain too long: " + intermediates
                    + " intermediate CAs, depth is " + depth + " (max_path_length_reached)");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
        checkDepth(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        pkix.checkServerTrusted(chain, authType, socket);
        checkDepth(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
        checkDepth(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        pkix.checkServerTrusted(chain, authType, engine);
        checkDepth(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        checkDepth(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
        checkDepth(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
