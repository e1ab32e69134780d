package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import jinet.inet.AddressParser;
import jinet.inet.CharList;
import jinet.inet.FunctionClauseException;
import jinet.inet.InetModule;
import jinet.term.Terms;

/**
 * inet_parse's readers of system files (hosts, resolv.conf, host.conf, nsswitch.conf...):
 * lines split on blanks, {@code #} comments, and a per-file function that turns a line's
 * tokens into an entry or skips it. A line the function cannot take is skipped, as inet_parse
 * does when its fun crashes. Files are bytes, one character per byte (binary_to_list).
 */
final class ConfigFiles {
    private ConfigFiles() {
    }

    /** inet_parse:hosts/2. */
    static List<HostsTable.Line> hosts(byte[] content) {
        return parse(content, tokens -> {
            if (tokens.size() < 2) {
                return null;
            }
            String address = tokens.get(0);
            if (lexemes(address, '%') == 2) {
                return null; // a scoped link-local address: inet_parse skips the line
            }
            return parseAddress(address)
                    .map(ip -> new HostsTable.Line(ip, tokens.get(1), List.copyOf(tokens.subList(2, tokens.size()))))
                    .orElse(null);
        });
    }

    /** inet_parse:resolv/2, as inetrc option terms. */
    static List<OtpErlangObject> resolv(byte[] content) {
        return parse(content, tokens -> {
            switch (tokens.get(0)) {
                case "domain":
                    return tokens.size() == 2 ? Terms.tuple(Terms.atom("domain"), str(tokens.get(1))) : null;
                case "nameserver":
                    if (tokens.size() != 2) {
                        return null;
                    }
                    return parseAddress(tokens.get(1))
                            .map(ip -> (OtpErlangObject) Terms.tuple(Terms.atom("nameserver"), ip))
                            .orElse(null);
                case "search":
                    return Terms.tuple(Terms.atom("search"), strings(tokens.subList(1, tokens.size())));
                case "lookup":
                    return Terms.tuple(Terms.atom("lookup"), strings(tokens.subList(1, tokens.size())));
                default:
                    return null;
            }
        });
    }

    /** inet_parse:host_conf_linux/2. */
    static List<OtpErlangObject> hostConfLinux(byte[] content) {
        return parse(content, tokens -> tokens.get(0).equals("order")
                ? Terms.tuple(Terms.atom("lookup"), strings(splitComma(tokens.subList(1, tokens.size()))))
                : null);
    }

    /** inet_parse:nsswitch_conf/2. */
    static List<OtpErlangObject> nsswitchConf(byte[] content) {
        return parse(content, tokens -> tokens.get(0).equals("hosts:")
                ? Terms.tuple(Terms.atom("lookup"), strings(tokens.subList(1, tokens.size())))
                : null);
    }

    /** inet_parse:host_conf_freebsd/2: one method per line. */
    static List<OtpErlangObject> hostConfFreebsd(byte[] content) {
        List<String> types = parse(content, tokens -> tokens.size() == 1 ? tokens.get(0) : null);
        return List.of(Terms.tuple(Terms.atom("lookup"), strings(types)));
    }

    /** inet_parse:host_conf_bsdos/2. */
    static List<OtpErlangObject> hostConfBsdos(byte[] content) {
        List<List<String>> lines = parse(content, tokens -> {
            if (!tokens.get(0).equals("hosts")) {
                return null;
            }
            List<String> methods = new ArrayList<>();
            for (String m : splitComma(tokens.subList(1, tokens.size()))) {
                if (!m.equals("continue") && !m.equals("merge")) {
                    methods.add(m);
                }
            }
            return methods;
        });
        List<String> all = new ArrayList<>();
        lines.forEach(all::addAll);
        return List.of(Terms.tuple(Terms.atom("lookup"), strings(all)));
    }

    private static <T> List<T> parse(byte[] content, Function<List<String>, T> fn) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<T> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int nl = text.indexOf('\n', i);
            String line = nl < 0 ? text.substring(i) : text.substring(i, nl);
            i = nl < 0 ? text.length() : nl + 1;
            if (line.endsWith("\r") && nl >= 0) {
                line = line.substring(0, line.length() - 1);
            }
            List<String> tokens = splitLine(line);
            if (!tokens.isEmpty()) {
                T v = fn.apply(tokens);
                if (v != null) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** inet_parse:split_line/1 on a line without its newline: blanks separate, # ends. */
    static List<String> splitLine(String line) {
        List<String> tokens = new ArrayList<>();
        StringBuilder tok = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '#') {
                break;
            }
            if (c == ' ' || c == '\t' || c == '\n') {
                if (tok != null) {
                    tokens.add(tok.toString());
                    tok = null;
                }
            } else {
                if (tok == null) {
                    tok = new StringBuilder();
                }
                tok.append(c);
            }
        }
        if (tok != null) {
            tokens.add(tok.toString());
        }
        return tokens;
    }

    /** inet_parse:split_comma/1. */
    static List<String> splitComma(List<String> tokens) {
        List<String> out = new ArrayList<>();
        for (String t : tokens) {
            for (String p : t.split(",")) {
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** Number of non-empty pieces of {@code s} split on {@code sep}, as string:lexemes/2 counts. */
    private static int lexemes(String s, char sep) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == sep) {
                in = false;
            } else if (!in) {
                in = true;
                n++;
            }
        }
        return n;
    }

    /** inet_parse:address/1 on a token. */
    static Optional<OtpErlangObject> parseAddress(String token) {
        try {
            return AddressParser.parseAddress(CharList.ofString(token)).map(InetModule::addressTuple);
        } catch (FunctionClauseException e) {
            return Optional.empty();
        }
    }

    private static OtpErlangObject str(String s) {
        return new OtpErlangString(s);
    }

    private static OtpErlangObject strings(List<String> list) {
        OtpErlangObject[] e = new OtpErlangObject[list.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = str(list.get(i));
        }
        return Terms.list(e);
    }
}
