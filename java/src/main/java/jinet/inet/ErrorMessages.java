package jinet.inet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The one table of error atoms and their texts ({@code inet:format_error/1}), loaded from
 * {@code format_error.tsv}, which was generated from BEAM's own answers.
 */
public final class ErrorMessages {
    private static final String DEFAULT_KEY = "~default";
    private static final ErrorMessages INSTANCE = load();

    private final Map<String, String> byAtom;
    private final String unknown;

    private ErrorMessages(Map<String, String> byAtom, String unknown) {
        this.byAtom = byAtom;
        this.unknown = unknown;
    }

    public static ErrorMessages get() {
        return INSTANCE;
    }

    /** The text for an atom; every atom without an entry gets the same "unknown" text. */
    public String forAtom(String atom) {
        return byAtom.getOrDefault(atom, unknown);
    }

    /** The text for a term that is not an atom. */
    public String forNonAtom() {
        return unknown;
    }

    private static ErrorMessages load() {
        Map<String, String> map = new HashMap<>();
        try (InputStream in = ErrorMessages.class.getResourceAsStream("format_error.tsv")) {
            if (in == null) {
                throw new IllegalStateException("format_error.tsv is missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                map.put(line.substring(0, tab), line.substring(tab + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String unknown = map.remove(DEFAULT_KEY);
        if (unknown == null) {
            throw new IllegalStateException("format_error.tsv has no " + DEFAULT_KEY + " line");
        }
        return new ErrorMessages(map, unknown);
    }
}
