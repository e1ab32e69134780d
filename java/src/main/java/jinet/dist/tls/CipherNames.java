package jinet.dist.tls;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Cipher suite names as erl's {@code ciphers} option takes them (OpenSSL's names, e.g.
 * {@code ECDHE-RSA-AES256-GCM-SHA384}, or the RFC names ssl:suite_to_str gives) mapped to the
 * JDK's names (the RFC names). The table holds the suites the JDK's provider implements; it was
 * made by passing each of them through OTP 25's ssl:str_to_suite and ssl:suite_to_openssl_str.
 */
final class CipherNames {
    private static final Map<String, String> OPENSSL_TO_RFC = new HashMap<>();

    static {
        String[][] table = {
            {"ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
            {"ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
            {"ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
            {"ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
            {"ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
            {"ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
            {"DHE-RSA-AES256-GCM-SHA384", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
            {"DHE-RSA-CHACHA20-POLY1305", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
            {"DHE-DSS-AES256-GCM-SHA384", "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384"},
            {"DHE-RSA-AES128-GCM-SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
            {"DHE-DSS-AES128-GCM-SHA256", "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256"},
            {"ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
            {"ECDHE-RSA-AES256-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
            {"ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
            {"ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
            {"DHE-RSA-AES256-SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
            {"DHE-DSS-AES256-SHA256", "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256"},
            {"DHE-RSA-AES128-SHA256", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
            {"DHE-DSS-AES128-SHA256", "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256"},
            {"ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
            {"ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
            {"ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
            {"ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
            {"DHE-RSA-AES256-SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
            {"DHE-DSS-AES256-SHA", "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"},
            {"DHE-RSA-AES128-SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
            {"DHE-DSS-AES128-SHA", "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"},
            {"AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"},
            {"AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"},
            {"AES256-SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256"},
            {"AES128-SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256"},
            {"AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"},
            {"AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"},
        };
        for (String[] row : table) {
            OPENSSL_TO_RFC.put(row[0], row[1]);
        }
    }

    private CipherNames() {}

    /** The JDK's name for one name as erl takes it, or null when jinet's provider has no such suite. */
    static String toJdk(String name) {
        String n = name.trim();
        if (OPENSSL_TO_RFC.containsKey(n)) {
            return OPENSSL_TO_RFC.get(n);
        }
        if (n.toUpperCase(Locale.ROOT).startsWith("TLS_") && OPENSSL_TO_RFC.containsValue(n)) {
            return n;
        }
        // TLS 1.3 suites have one name everywhere.
        switch (n) {
            case "TLS_AES_128_GCM_SHA256":
            case "TLS_AES_256_GCM_SHA384":
            case "TLS_CHACHA20_POLY1305_SHA256":
                return n;
            default:
                return null;
        }
    }
}
