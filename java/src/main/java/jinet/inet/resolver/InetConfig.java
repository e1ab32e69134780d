package jinet.inet.resolver;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import jinet.inet.HostName;
import jinet.inet.NativeFileName;
import jinet.term.TermReader;
import jinet.term.Terms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * inet_config:init/0 for jinet: the same steps in the same order, so that a node started with
 * the same flags, environment and files ends up with BEAM's configuration. The host name and
 * its domain; with long names, resolv.conf and host.conf; the lookup method native; on Linux
 * the domain from the host's own hostent; the inetrc file (kernel parameter {@code inetrc},
 * else {@code ERL_INETRC}); and the default resolv.conf and hosts file, read when first used.
 */
public final class InetConfig {
    private static final Logger log = LoggerFactory.getLogger(InetConfig.class);
    private static final Set<String> FILE_TYPES = Set.of("resolv", "host_conf_freebsd", "host_conf_bsdos",
            "host_conf_linux", "nsswitch_conf", "hosts", "win32");
    private static final Map<String, Function<byte[], List<OtpErlangObject>>> FILE_PARSERS = Map.of(
            "resolv", ConfigFiles::resolv,
            "host_conf_linux", ConfigFiles::hostConfLinux,
            "host_conf_freebsd", ConfigFiles::hostConfFreebsd,
            "host_conf_bsdos", ConfigFiles::hostConfBsdos,
            "nsswitch_conf", ConfigFiles::nsswitchConf);

    /** How the node is named: inet_config reads resolv.conf at start only for long names. */
    public enum DistMode { SHORTNAMES, LONGNAMES }

    private InetConfig() {
    }

    /**
     * A resolver configured as BEAM's would be. {@code inetrcParameter} is the text after
     * {@code -kernel inetrc}, if given; {@code env} the process environment.
     */
    public static Resolver start(DistMode mode, Optional<String> inetrcParameter, Map<String, String> env,
                                 Resolver.NativeLookup nativeLookup) {
        InetDb db = new InetDb();
        Resolver resolver = new Resolver(db, nativeLookup);
        setHostname(db, HostName.fullName());
        String etc = env.getOrDefault("ERL_INET_ETC_DIR", "/etc");
        if (mode == DistMode.LONGNAMES) {
            loadResolv(db, join(etc, "resolv.conf"), "resolv");
            if (!loadResolv(db, join(etc, "host.conf"), "host_conf_linux")) {
                loadResolv(db, join(etc, "nsswitch.conf"), "nsswitch_conf");
            }
        }
        db.addRcList(List.of(Terms.tuple(Terms.atom("lookup"), Terms.list(Terms.atom("native")))));
        if (db.domain().isEmpty()) {
            try {
                OtpErlangObject r = resolver.gethostbyname(new OtpErlangString(db.hostname()));
                if (r instanceof OtpErlangTuple && Terms.isAtom(((OtpErlangTuple) r).elementAt(0), "ok")) {
                    OtpErlangTuple hostent = (OtpErlangTuple) ((OtpErlangTuple) r).elementAt(1);
                    String name = ErlText.chars(hostent.elementAt(1));
                    if (name != null && !name.isEmpty()) {
                        setHostname(db, name);
                    }
                }
            } catch (Exception e) {
                log.debug("own host name not resolved: {}", e.toString());
            }
        }
        readInetrc(db, inetrcParameter, env);
        if (db.get("res_resolv_conf") instanceof OtpErlangAtom) {
            InetDb.fileName(new OtpErlangString(join(etc, "resolv.conf")))
                    .ifPresent(f -> db.setFile("resolv_conf", f, false));
        }
        if (db.get("res_hosts_file") instanceof OtpErlangAtom) {
            InetDb.fileName(new OtpErlangString(join(etc, "hosts")))
                    .ifPresent(f -> db.setFile("hosts_file", f, false));
        }
        return resolver;
    }

    /** inet_config:set_hostname/1: the part before the first dot; the rest is the domain. */
    private static void setHostname(InetDb db, String full) {
        if (full == null || full.isEmpty()) {
            db.setHostname("nohost");
            setSearchDomain(db, "nodomain");
            return;
        }
        int dot = full.indexOf('.');
        String host = dot < 0 ? full : full.substring(0, dot);
        if (ErlText.isVisible(host)) {
            db.setHostname(host);
        }
        if (dot >= 0) {
            setSearchDomain(db, full.substring(dot + 1));
        }
    }

    private static void setSearchDomain(InetDb db, String domain) {
        if (domain.isEmpty()) {
            return;
        }
        OtpErlangObject d = new OtpErlangString(domain);
        db.addRcList(List.of(Terms.tuple(Terms.atom("domain"), d)));
        if (ErlText.isVisible(domain)) {
            db.listop("res_search", "ins", d);
        }
    }

    /** inet_config:load_resolv/2; false only where inet_db refused the options. */
    private static boolean loadResolv(InetDb db, String file, String type) {
        Optional<byte[]> content = read(file);
        if (content.isEmpty()) {
            return true;
        }
        return db.addRcList(FILE_PARSERS.get(type).apply(content.get())).equals(Terms.atom("ok"));
    }

    private static void readInetrc(InetDb db, Optional<String> parameter, Map<String, String> env) {
        Optional<String> file;
        if (parameter.isPresent()) {
            file = Optional.empty();
            try {
                file = Optional.ofNullable(ErlText.chars(TermReader.parse(parameter.get())));
            } catch (TermReader.SyntaxException e) {
                log.error("inet_config: bad inetrc parameter {}: {}", parameter.get(), e.getMessage());
            }
        } else {
            file = Optional.ofNullable(env.get("ERL_INETRC"));
        }
        if (file.isEmpty()) {
            return;
        }
        Optional<byte[]> bytes = read(file.get());
        if (bytes.isEmpty()) {
            log.error("inet_config: file {} not found", file.get());
            return;
        }
        List<OtpErlangObject> terms;
        try {
            terms = TermReader.consult(utf8(bytes.get()));
        } catch (TermReader.SyntaxException | CharacterCodingException e) {
            log.error("inet_config: parse error in {}: {}", file.get(), e.getMessage());
            return;
        }
        List<OtpErlangTuple> configFiles = new ArrayList<>();
        List<OtpErlangObject> options = new ArrayList<>();
        for (OtpErlangObject t : terms) {
            if (isConfigFile(t)) {
                OtpErlangTuple tuple = (OtpErlangTuple) t;
                if (!validType(tuple.elementAt(1))) {
                    log.error("inet_config: invalid config value {} in inetrc", tuple.elementAt(1));
                    return;
                }
                configFiles.add(tuple);
            } else {
                options.add(t);
            }
        }
        for (OtpErlangTuple cf : configFiles) {
            if (cf.arity() != 3) {
                continue; // {registry, win32}: not on this system
            }
            String type = ((OtpErlangAtom) cf.elementAt(1)).atomValue();
            String f = ErlText.chars(ErlText.atomToList(cf.elementAt(2)));
            if (f == null) {
                continue;
            }
            if (type.equals("hosts")) {
                read(f).ifPresentOrElse(
                        content -> ConfigFiles.hosts(content).forEach(l -> {
                            List<String> names = new ArrayList<>();
                            names.add(l.name());
                            names.addAll(l.aliases());
                            db.hosts().addHost(l.ip(), names);
                        }),
                        () -> log.error("inet_config: file not found {}", f));
            } else if (FILE_PARSERS.containsKey(type)) {
                loadResolv(db, f, type);
            }
        }
        OtpErlangObject r = db.addRcList(options);
        if (!r.equals(Terms.atom("ok"))) {
            log.error("inet_config: syntax error in {}", file.get());
        }
    }

    /** {@code {file, Type, File}} or {@code {registry, Type}}, which inet_config takes out first. */
    private static boolean isConfigFile(OtpErlangObject t) {
        if (!(t instanceof OtpErlangTuple)) {
            return false;
        }
        OtpErlangTuple tuple = (OtpErlangTuple) t;
        return (tuple.arity() == 3 && Terms.isAtom(tuple.elementAt(0), "file"))
                || (tuple.arity() == 2 && Terms.isAtom(tuple.elementAt(0), "registry"));
    }

    private static boolean validType(OtpErlangObject type) {
        return type instanceof OtpErlangAtom && FILE_TYPES.contains(((OtpErlangAtom) type).atomValue());
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** erl_prim_loader:get_file/1 of a name given as characters. */
    private static Optional<byte[]> read(String file) {
        Optional<NativeFileName> name = NativeFileName.of(file);
        try {
            return name.isEmpty() ? Optional.empty() : Optional.of(Files.readAllBytes(name.get().path()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } finally {
            name.ifPresent(NativeFileName::close);
        }
    }

    /** filename:join/2 of a directory and a plain name. */
    private static String join(String dir, String name) {
        if (dir.isEmpty()) {
            return name;
        }
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
