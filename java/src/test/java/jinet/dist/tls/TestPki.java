package jinet.dist.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates and keys made with openssl for the tests, in a directory of their own: two
 * unrelated CAs, an intermediate CA under the first, and leaf certificates for this host (its
 * short name, as -sname uses it, localhost and 127.0.0.1) with keys in every format erl takes.
 */
final class TestPki {
    static final String PASSWORD = "s3cret";

    final Path dir;
    final String host;

    private TestPki(Path dir) throws IOException {
        this.dir = dir;
        String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        this.host = h.contains(".") ? h.substring(0, h.indexOf('.')) : h;
    }

    static boolean available() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "openssl"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * ca.pem, other-ca.pem (unrelated), inter.pem (under ca); server, client (under ca),
     * rogue (under other-ca), deep (under inter), wrongname (under ca, named elsewhere.invalid):
     * NAME.pem with NAME.key (PKCS#8). Key variants of server's key: server-pkcs1.key,
     * server-pkcs1-enc.key, server-pkcs8-enc.key (password {@link #PASSWORD}); an EC leaf
     * ec.pem/ec-sec1.key; server-combined.pem holds the certificate and the key.
     */
    static TestPki create(Path dir) throws IOException, InterruptedException {
        TestPki p = new TestPki(dir);
        p.ca("ca", "jinet test CA");
        p.ca("other-ca", "jinet other CA");
        p.rsaKey("inter");
        p.sign("inter", "jinet test intermediate", "ca", true, null);
        String san = "DNS:" + p.host + ",DNS:localhost,IP:127.0.0.1";
        for (String[] leaf : new String[][] {{"server", "ca"}, {"client", "ca"}, {"rogue", "other-ca"},
            {"deep", "inter"}}) {
            p.rsaKey(leaf[0]);
            p.sign(leaf[0], "jinet " + leaf[0], leaf[1], false, san);
        }
        p.rsaKey("wrongname");
        p.sign("wrongname", "jinet wrongname", "ca", false, "DNS:elsewhere.invalid");
        p.openssl("rsa", "-in", "server.key", "-traditional", "-out", "server-pkcs1.key");
        p.openssl("rsa", "-in", "server.key", "-traditional", "-aes256", "-passout", "pass:" + PASSWORD,
                "-out", "server-pkcs1-enc.key");
        p.openssl("pkcs8", "-topk8", "-in", "server.key", "-v2", "aes-256-cbc", "-passout", "pass:" + PASSWORD,
                "-out", "server-pkcs8-enc.key");
        p.openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-sec1.key");
        p.openssl("pkcs8", "-topk8", "-nocrypt", "-in", "ec-sec1.key", "-out", "ec.key");
        p.sign("ec", "jinet ec", "ca", false, san);
        Files.writeString(dir.resolve("server-combined.pem"),
                Files.readString(dir.resolve("server.pem")) + Files.readString(dir.resolve("server-pkcs1.key")));
        Files.writeString(dir.resolve("deep-chain.pem"),
                Files.readString(dir.resolve("deep.pem")) + Files.readString(dir.resolve("inter.pem")));
        return p;
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    String file(String name) {
        return dir.resolve(name).toString();
    }

    private void ca(String name, String cn) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
                "-days", "3", "-subj", "/CN=" + cn,
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void rsaKey(String name) throws IOException, InterruptedException {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
    }

    private void sign(String name, String cn, String ca, boolean isCa, String san)
            throws IOException, InterruptedException {
        openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=" + cn, "-out", name + ".csr");
        List<String> ext = new ArrayList<>();
        if (isCa) {
            ext.add("basicConstraints=critical,CA:TRUE");
            ext.add("keyUsage=critical,keyCertSign,cRLSign");
        } else {
            ext.add("basicConstraints=CA:FALSE");
            ext.add("keyUsage=digitalSignature,keyEncipherment");
            ext.add("extendedKeyUsage=serverAuth,clientAuth");
            ext.add("subjectAltName=" + san);
        }
        Files.write(dir.resolve(name + ".ext"), ext, StandardCharsets.UTF_8);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                "-CAcreateserial", "-days", "3", "-out", name + ".pem", "-extfile", name + ".ext");
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** An option file with {@code text} in it, named {@code name} in the directory. */
    String optfile(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f.toString();
    }

    /** {certfile,F},{keyfile,K} for a leaf and its .key. */
    String certAndKey(String leaf) {
        return "{certfile,\"" + file(leaf + ".pem") + "\"},{keyfile,\"" + file(leaf + ".key") + "\"}";
    }

    String cacert(String ca) {
        return "{cacertfile,\"" + file(ca + ".pem") + "\"}";
    }
}
