package jinet.dist.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Certificates and private keys in PEM files, as OTP's public_key:pem_decode reads them for
 * ssl's certfile/keyfile/cacertfile. The JDK (and so Netty without BouncyCastle) only takes
 * unencrypted PKCS#8, while the files users give erl are often OpenSSL's traditional formats
 * (PKCS#1 RSA, SEC1 EC, optionally encrypted with a password), so those are turned into
 * PKCS#8 here with plain DER handling.
 */
public final class PemFiles {
    /** A file that cannot be read, or holds no usable PEM entry of the kind asked for. */
    public static final class PemException extends Exception {
        PemException(String message) {
            super(message);
        }

        PemException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One PEM entry: its label ("CERTIFICATE", "RSA PRIVATE KEY", ...), headers and DER bytes. */
    record Entry(String label, Map<String, String> headers, byte[] der) {}

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

    private static final byte[] OID_RSA = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] OID_EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48,
        (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] OID_DSA = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce,
        0x38, 0x04, 0x01};

    private PemFiles() {}

    static List<Entry> entries(Path file) throws PemException {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new PemException("cannot read " + file + ": " + reason(e), e);
        }
        List<Entry> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder b64 = new StringBuilder();
            for (String line : m.group(2).split("\\r?\\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && b64.length() == 0) {
                    headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                } else {
                    b64.append(line.trim());
                }
            }
            try {
                out.add(new Entry(m.group(1), headers, java.util.Base64.getDecoder().decode(b64.toString())));
            } catch (IllegalArgumentException e) {
                throw new PemException(file + ": bad base64 in " + m.group(1) + " block");
            }
        }
        return out;
    }

    /** Every certificate in the file, in file order; at least one. */
    public static List<X509Certificate> certificates(Path file) throws PemException {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory cf;
        try {
            cf = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
        for (Entry e : entries(file)) {
            if (e.label().equals("CERTIFICATE") || e.label().equals("X509 CERTIFICATE")
                    || e.label().equals("TRUSTED CERTIFICATE")) {
                try {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(e.der())));
                } catch (CertificateException ex) {
                    throw new PemException(file + ": not a valid X.509 certificate: " + ex.getMessage(), ex);
                }
            }
        }
        if (certs.isEmpty()) {
            throw new PemException(file + ": no certificate in the file");
        }
        return certs;
    }

    /**
     * The first private key in the file, in any of the formats erl takes. {@code password}
     * decrypts an encrypted one (null or empty: none given).
     */
    public static PrivateKey privateKey(Path file, char[] password) throws PemException {
        for (Entry e : entries(file)) {
            switch (e.label()) {
                case "PRIVATE KEY":
                    return pkcs8(file, e.der());
                case "RSA PRIVATE KEY":
                    return pkcs8(file, wrap(OID_RSA, new byte[] {0x05, 0x00}, legacy(file, e, password)));
                case "DSA PRIVATE KEY":
                    throw new PemException(file + ": DSA keys are not supported by jinet");
                case "EC PRIVATE KEY":
                    return ecKey(file, legacy(file, e, password));
                case "ENCRYPTED PRIVATE KEY":
                    return pkcs8(file, decryptPkcs8(file, e.der(), password));
                default:
                    break;
            }
        }
        throw new PemException(file + ": no private key in the file");
    }

    /** The DER of a traditional OpenSSL key, decrypted when its headers say it is encrypted. */
    private static byte[] legacy(Path file, Entry e, char[] password) throws PemException {
        String proc = e.headers().get("Proc-Type");
        if (proc == null || !proc.contains("ENCRYPTED")) {
            return e.der();
        }
        if (password == null || password.length == 0) {
            throw new PemException(file + ": the key is encrypted and no password was given");
        }
        String dek = e.headers().get("DEK-Info");
        if (dek == null || dek.indexOf(',') < 0) {
            throw new PemException(file + ": encrypted key without DEK-Info");
        }
        String alg = dek.substring(0, dek.indexOf(',')).trim().toUpperCase(Locale.ROOT);
        byte[] iv = HexFormat.of().parseHex(dek.substring(dek.indexOf(',') + 1).trim());
        String jce;
        String keyAlg;
        int keyLen;
        switch (alg) {
            case "AES-128-CBC": jce = "AES/CBC/PKCS5Padding"; keyAlg = "AES"; keyLen = 16; break;
            case "AES-192-CBC": jce = "AES/CBC/PKCS5Padding"; keyAlg = "AES"; keyLen = 24; break;
            case "AES-256-CBC": jce = "AES/CBC/PKCS5Padding"; keyAlg = "AES"; keyLen = 32; break;
            case "DES-EDE3-CBC": jce = "DESede/CBC/PKCS5Padding"; keyAlg = "DESede"; keyLen = 24; break;
            case "DES-CBC": jce = "DES/CBC/PKCS5Padding"; keyAlg = "DES"; keyLen = 8; break;
            default:
                throw new PemException(file + ": key encrypted with " + alg + ", which jinet does not implement");
        }
        try {
            byte[] key = evpBytesToKey(new String(password).getBytes(StandardCharsets.UTF_8),
                    Arrays.copyOf(iv, 8), keyLen);
            Cipher c = Cipher.getInstance(jce);
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, keyAlg), new IvParameterSpec(iv));
            return c.doFinal(e.der());
        } catch (GeneralSecurityException ex) {
            throw new PemException(file + ": cannot decrypt the key (wrong password?)", ex);
        }
    }

    /** OpenSSL's EVP_BytesToKey with MD5 and one iteration: what traditional PEM encryption uses. */
    private static byte[] evpBytesToKey(byte[] password, byte[] salt, int len) throws GeneralSecurityException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] prev = new byte[0];
        while (out.size() < len) {
            md5.update(prev);
            md5.update(password);
            md5.update(salt);
            prev = md5.digest();
            out.writeBytes(prev);
        }
        return Arrays.copyOf(out.toByteArray(), len);
    }

    private static byte[] decryptPkcs8(Path file, byte[] der, char[] password) throws PemException {
        if (password == null || password.length == 0) {
            throw new PemException(file + ": the key is encrypted and no password was given");
        }
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // For PBES2 the algorithm name is only "PBES2"; the parameters name the real one.
            String alg = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            SecretKeyFactory f = SecretKeyFactory.getInstance(alg);
            Cipher c = Cipher.getInstance(alg);
            c.init(Cipher.DECRYPT_MODE, f.generateSecret(new PBEKeySpec(password)), info.getAlgParameters());
            return info.getKeySpec(c).getEncoded();
        } catch (IOException | GeneralSecurityException ex) {
            throw new PemException(file + ": cannot decrypt the key (wrong password or unsupported encryption: "
                    + ex.getMessage() + ")", ex);
        }
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws PemException {
        String[] algs = algorithmOf(der);
        for (String alg : algs) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // next candidate
            }
        }
        throw new PemException(file + ": not a private key jinet can use");
    }

    /** Key factory names to try for a PKCS#8 structure, from its algorithm OID when readable. */
    private static String[] algorithmOf(byte[] der) {
        if (indexOf(der, OID_RSA) >= 0 && indexOf(der, OID_RSA) < 32) {
            return new String[] {"RSA"};
        }
        if (indexOf(der, OID_EC_PUBLIC_KEY) >= 0 && indexOf(der, OID_EC_PUBLIC_KEY) < 32) {
            return new String[] {"EC"};
        }
        if (indexOf(der, OID_DSA) >= 0 && indexOf(der, OID_DSA) < 32) {
            return new String[] {"DSA"};
        }
        return new String[] {"Ed25519", "Ed448", "RSASSA-PSS", "RSA", "EC"};
    }

    /**
     * SEC1's ECPrivateKey { version, privateKey, [0] parameters, [1] publicKey } as PKCS#8: the
     * curve OID moves into the AlgorithmIdentifier, the structure itself into the OCTET STRING.
     */
    private static PrivateKey ecKey(Path file, byte[] sec1) throws PemException {
        try {
            Der seq = Der.read(sec1, 0);
            if (seq.tag != 0x30) {
                throw new PemException(file + ": malformed EC private key");
            }
            byte[] curve = null;
            int p = seq.contentStart;
            while (p < seq.end) {
                Der item = Der.read(sec1, p);
                if (item.tag == 0xa0) {
                    Der oid = Der.read(sec1, item.contentStart);
                    curve = Arrays.copyOfRange(sec1, oid.start, oid.end);
                }
                p = item.end;
            }
            if (curve == null) {
                throw new PemException(file + ": EC private key without its curve");
            }
            return pkcs8(file, wrap(OID_EC_PUBLIC_KEY, curve, sec1));
        } catch (IndexOutOfBoundsException e) {
            throw new PemException(file + ": malformed EC private key");
        }
    }

    /** PrivateKeyInfo { 0, AlgorithmIdentifier { oid, params }, OCTET STRING key }. */
    private static byte[] wrap(byte[] oid, byte[] params, byte[] key) {
        byte[] algId = tlv(0x30, concat(oid, params));
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algId, tlv(0x04, key)));
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "enoent (no such file)";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "eacces (permission denied)";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** One DER TLV: where it starts, where its content starts, where it ends. */
    private static final class Der {
        final int tag;
        final int start;
        final int contentStart;
        final int end;

        private Der(int tag, int start, int contentStart, int end) {
            this.tag = tag;
            this.start = start;
            this.contentStart = contentStart;
            this.end = end;
        }

        static Der read(byte[] b, int at) {
            int tag = b[at] & 0xff;
            int len = b[at + 1] & 0xff;
            int p = at + 2;
            if (len >= 0x80) {
                int n = len & 0x7f;
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[p++] & 0xff);
                }
            }
            if (p + len > b.length) {
                throw new IndexOutOfBoundsException();
            }
            return new Der(tag, at, p, p + len);
        }
    }
}
