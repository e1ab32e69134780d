package jinet.testing;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An escript on the test class path that asks the installed OTP for expected values. */
public final class Escript {
    private static final long TIMEOUT_SECONDS = 120;

    private final String resource;
    private final Path path;

    private Escript(String resource, Path path) {
        this.resource = resource;
        this.path = path;
    }

    /** The script at {@code resource} (e.g. {@code /jinet/term/x.escript}), whether or not it is there. */
    public static Escript onClassPath(Class<?> anchor, String resource) {
        URL url = anchor.getResource(resource);
        Path p = null;
        if (url != null && "file".equals(url.getProtocol())) {
            try {
                p = Path.of(url.toURI());
            } catch (URISyntaxException e) {
                p = null;
            }
        }
        return new Escript(resource, p);
    }

    /** Why the script cannot run here (printed by a test that skips), or null when it can. */
    public String unavailableReason() {
        if (path == null) {
            return resource.substring(1) + " not on the test class path";
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "escript")) && Files.isExecutable(Path.of(dir, "erl"))) {
                return null;
            }
        }
        return "erl/escript not on PATH";
    }

    /**
     * Runs the script with {@code args}, the user's ERL_*FLAGS cleared so they cannot change
     * BEAM's answers; its output goes to {@code stdout}, or nowhere when that is null.
     */
    public void run(Path stdout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("escript", path.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("ERL_FLAGS");
        pb.environment().remove("ERL_AFLAGS");
        pb.environment().remove("ERL_ZFLAGS");
        Path err = Files.createTempFile("escript", ".err");
        try {
            pb.redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()));
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(resource + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(resource + " failed (" + p.exitValue() + "): " + Files.readString(err));
            }
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
