package jinet.inet.dns;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpInputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs test-interop/dns_codec_vectors.escript once over a batch of case lines and returns, per
 * line, the term BEAM answered.
 */
final class BeamDnsOracle {
    private BeamDnsOracle() {
    }

    /** Why BEAM cannot be asked here, or null when it can. */
    static String unavailableReason() {
        if (script() == null) {
            return "test-interop/dns_codec_vectors.escript not found above " + System.getProperty("user.dir");
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "escript")) && Files.isExecutable(Path.of(dir, "erl"))) {
                return null;
            }
        }
        return "erl/escript not on PATH";
    }

    static List<OtpErlangObject> ask(List<String> lines) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("escript", script().toString());
        pb.environment().remove("ERL_FLAGS");
        pb.environment().remove("ERL_AFLAGS");
        pb.environment().remove("ERL_ZFLAGS");
        Path errors = Files.createTempFile("dns-oracle", ".err");
        pb.redirectError(errors.toFile());
        Process process = pb.start();
        Thread feeder = new Thread(() -> {
            try (OutputStream in = process.getOutputStream()) {
                for (String line : lines) {
                    in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                // The reader below reports the short answer.
            }
        }, "dns-oracle-feeder");
        feeder.start();
        List<OtpErlangObject> answers = new ArrayList<>(lines.size());
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = out.readLine()) != null) {
                answers.add(new OtpInputStream(HexFormat.of().parseHex(line)).read_any());
            } 
        } catch (Exception e) {
            throw new IOException("unreadable oracle answer: " + e, e);
        }
        feeder.join();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (answers.size() != lines.size()) {
            throw new IOException("oracle answered " + answers.size() + " of " + lines.size() + " cases: "
                    + Files.readString(errors));
        }
        Files.deleteIfExists(errors);
        return answers;
    }

    private static Path script() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("test-interop/dns_codec_vectors.escript");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
