package jinet.inet.resolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jinet.inet.NativeFileName;

/**
 * A configuration file inet_db re-reads when it changes: looked at no more often than every
 * {@value #RECHECK_SECONDS} seconds (monotonic, whole seconds, as inet_db's times/0), and read
 * again when any part of its file info differs, access time included, as
 * erl_prim_loader:read_file_info/1 reports it (whole seconds).
 */
final class WatchedFile {
    static final long RECHECK_SECONDS = 5;

    final String key;
    private String path;
    private Long checkedAt;
    private Object info;

    WatchedFile(String key) {
        this.key = key;
    }

    /** No file: no re-checks. */
    void forget() {
        path = null;
        checkedAt = null;
        info = null;
    }

    /** A name given without reading it: the first use reads it. A null path never reads. */
    void watchFromNowOn(String path) {
        this.path = path;
        info = null;
        checkedAt = now() - (RECHECK_SECONDS + 1);
    }

    /** A name given and read now: its content, as {@link #update()}. */
    Optional<byte[]> watch(String path) {
        this.path = path;
        info = null;
        return update();
    }

    boolean due() {
        return checkedAt != null && now() >= checkedAt + RECHECK_SECONDS;
    }

    /** The file's content when it changed since last time (empty when it is gone), else empty. */
    Optional<byte[]> update() {
        checkedAt = now();
        Optional<NativeFileName> file = path == null ? Optional.empty() : NativeFileName.of(path);
        try {
            Object now = file.map(f -> fileInfo(f.path())).orElse(null);
            if (now != null && now.equals(info)) {
                return Optional.empty();
            }
            info = now;
            if (now == null) {
                return Optional.of(new byte[0]);
            }
            try {
                return Optional.of(Files.readAllBytes(file.get().path()));
            } catch (IOException | RuntimeException e) {
                return Optional.of(new byte[0]);
            }
        } finally {
            file.ifPresent(NativeFileName::close);
        }
    }

    private static Object fileInfo(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:*", new LinkOption[0]);
            return java.util.List.of(a.get("size"), seconds(a.get("lastAccessTime")),
                    seconds(a.get("lastModifiedTime")), seconds(a.get("ctime")), a.get("mode"),
                    a.get("nlink"), a.get("dev"), a.get("rdev"), a.get("ino"), a.get("uid"), a.get("gid"),
                    Files.isReadable(p), Files.isWritable(p));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Object seconds(Object time) {
        return time instanceof FileTime ? ((FileTime) time).to(TimeUnit.SECONDS) : Objects.toString(time);
    }

    private static long now() {
        return Math.floorDiv(System.nanoTime(), 1_000_000_000L);
    }
}
