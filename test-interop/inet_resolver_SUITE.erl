%% The resolver: inet:gethostbyname/1,2, gethostbyaddr/1, getaddr/2,
%% getaddrs/2 and get_rc/0, each on a BEAM peer and on the node under test
%% started with the SAME inet configuration (same command-line arguments,
%% same environment, same wrapping command), compared term for term (an
%% error's stack aside: class and reason count). Every case compares get_rc()
%% before and after its lookups; names are asked twice (the second answer
%% comes from the resolver's cache). Some answers of the BEAM peer are also
%% checked against what the configuration must give ("expected answers"), so
%% a configuration that was not applied cannot pass unnoticed.
%%
%% Fixtures, started by init_per_suite and stopped by end_per_suite:
%%   - unbound (Debian's package) serving, on 127.0.0.1:P (P a free port):
%%     jinet.test (single and multiple A and AAAA, CNAME chains of 1 and 3
%%     hops, a dangling CNAME, a CNAME to another zone, a CNAME loop, mixed
%%     case, a wildcard, TTL 0, a TXT-only name, names too big for a 512-byte
%%     UDP answer (TC, retried over TCP) and for a 1232-byte one), other.test,
%%     PTR zones for 192.0.2.0/24 and 2001:db8::/32 (several PTRs for one
%%     address, a classless CNAME), and two empty zones that answer SERVFAIL
%%     (broken.test, 113.0.203.in-addr.arpa); every other name is REFUSED
%%     (nothing is ever asked of another server). The same server also
%%     listens on 127.0.53.1:53 when that can be bound, for glibc (native
%%     lookups, resolv.conf files), which only talks to port 53.
%%   - a second unbound on 127.0.0.1:P2 with other jinet.test data, for
%%     alt_nameserver;
%%   - a UDP socket on 127.0.0.1 that never answers (the dead nameserver).
%%
%% Configurations (one pair of nodes each, started by init_per_group):
%%   dns                 -kernel inetrc: lookup [dns], resolv_conf "",
%%                       hosts_file "", search [sub.jinet.test, jinet.test],
%%                       timeout 2000, retry 2, servfail_retry_timeout 300
%%   dns_edns_inet6      ERL_INETRC: lookup [dns], domain jinet.test (no
%%                       search), inet6 true, edns 0, udp_payload_size 1232,
%%                       cache_size 3, retry 3, timeout 1500,
%%                       servfail_retry_timeout 100
%%   dns_usevc           usevc true, inet6 false, cache_refresh 1000, default
%%                       timeout/retry/servfail_retry_timeout
%%   dns_dead            only the dead nameserver, timeout 300, retry 2
%%   dns_dead_first      the dead nameserver before the working one
%%   dns_alt             nameserver + alt_nameservers [dead, second server],
%%                       timeout 250, retry 1
%%   hosts               lookup [file], hosts_file written by the suite
%%                       (aliases, comments, IPv6, scoped fe80::1%eth0 lines,
%%                       duplicate names and addresses, CRLF, malformed
%%                       lines, upper case), then edited, then deleted while
%%                       the nodes run (compared after the 5 s re-check)
%%   order_file_dns      lookup [file, dns], inet6 false, {host, IP, Names}
%%   order_dns_file      lookup [dns, file], inet6 true, {host, IP, Names}
%%   order_strings       lookup ["files", "bind"], {file, hosts, F}, every
%%                       other option set, then an unknown option
%%   file_resolv         {file, resolv, F} (emptied by {resolv_conf, ""}) and
%%                       {file, hosts, F}, lookup [file, dns]
%%   order_native_file   lookup [native, file]          (mount namespace)
%%   order_file_native_dns lookup [file, native, dns], inet6 true (namespace)
%%   order_yp_foo        lookup [yp, foo] (yp goes native) (namespace)
%%   resolv_conf         {resolv_conf, F} whose nameservers/search replace
%%                       the inetrc's at the first lookup; F then edited
%%   etc_dir             ERL_INET_ETC_DIR=<dir> and ERL_INETRC with
%%                       lookup [file, dns] and {file, resolv, F}: <dir>'s
%%                       hosts and resolv.conf are used
%%   file_names          {resolv_conf, Binary}, {hosts_file, Binary}, then
%%                       {hosts_file, DeepListWithAnAtom}
%%   names_no_locale     {file, hosts, F} and {hosts_file, F} whose names
%%   names_utf8          have an é (with no locale and with C.UTF-8: a file
%%                       named with é in latin1 and one in UTF-8 exist, the
%%                       node reads the one its file name encoding makes),
%%                       and names with a character above 255
%%   rc_random           16 seeded random inetrc files mixing valid and
%%                       invalid options (every option inet_db knows, bad
%%                       values, unknown options, clear_ns/...), a pair
%%                       of nodes each: get_rc() and a few lookups
%%   dns_scripted        a scripted name server (this suite's own) whose
%%                       answers exercise inet_res's error paths: replies
%%                       with a wrong id, garbage, every rcode, BADVERS,
%%                       FORMERR to EDNS only, qr/opcode/question that do not
%%                       match, TC then TCP (good, wrong id, closed), CNAMEs,
%%                       duplicates, TTL 0, a record of class CHAOS; forward
%%                       and reverse; unbound as alt_nameserver
%%   dns_scripted_edns   the same server with edns 0, via ERL_INETRC
%%   rc_invalid          an invalid option stops the processing of inetrc
%%   rc_syntax           an inetrc with a syntax error (namespace: the
%%                       default lookup, native, then asks only our server)
%%   rc_missing          -kernel inetrc names a missing file (ERL_INETRC,
%%                       valid, is then not read) (namespace, as rc_syntax)
%%   native              no inetrc, in a mount namespace where the suite's
%%                       resolv.conf, hosts, nsswitch.conf (and host.conf)
%%                       are bind-mounted over /etc's: glibc asks the suite's
%%                       server on 127.0.53.1:53
%%   host_default        no inetrc, the host's own /etc: names from
%%                       /etc/hosts, the host name, a name that does not exist
%%   concurrency         lookup [file, dns], the dead nameserver with timeout
%%                       3000: one lookup waits on it while 50 hosts-file
%%                       lookups from other processes must each take < 500 ms
%% The namespace configurations need `unshare -m` and bind mounts, and
%% 127.0.53.1:53; where either is missing they are skipped, saying why.
%%
%% Arguments: well-formed names and addresses and malformed ones (atoms,
%% binaries, integers, out-of-range tuples, "", improper and deep lists,
%% characters beyond Latin-1, over-long names, bad families).
%%
%% See jinet_diff for the node handling and the environment variables
%% (JINET_HOME, JINET_STANDIN, JINET_SEED; JINET_NODE is ignored here: a
%% running node cannot take each configuration). Run alone:
%%   erlc -o test-interop test-interop/jinet_diff.erl &&
%%   JINET_HOME=$PWD ct_run -dir test-interop -suite inet_resolver_SUITE \
%%     -logdir /tmp/ctlogs -sname ct_res$$ -setcookie jinet_ct
-module(inet_resolver_SUITE).

-include_lib("common_test/include/ct.hrl").
%% DNS records, for the scripted name server (erlang-src has the header).
-include_lib("kernel/src/inet_dns.hrl").

-export([suite/0, all/0, groups/0, init_per_suite/1, end_per_suite/1,
         init_per_group/2, end_per_group/2, init_per_testcase/2,
         end_per_testcase/2]).
-export([forward/1, search/1, reverse/1, slow_errors/1, malformed/1,
         dead/1, dead_first/1, alt/1, hosts_names/1, hosts_edit/1,
         hosts_delete/1, order/1, resolv_conf/1, rc_only/1, rc_random/1,
         scripted/1, native/1,
         host_default/1, concurrency/1, encoded_names/1]).

-define(NS53, {127, 0, 53, 1}).
-define(LOCAL, {127, 0, 0, 1}).
%% Longer than inet_db's 5 s re-check of the hosts and resolv.conf files
%% (whole seconds: a check is due once 5 s have passed since the last one).
-define(RECHECK_WAIT, 6500).
-define(SLOW_NAME, "slow.jinet.test.").
%% Random inetrc files in the rc_random group, a pair of nodes each.
-define(RC_RANDOM, 16).

suite() ->
    [{timetrap, {minutes, 3}}].

group_names() ->
    [dns, dns_edns_inet6, dns_usevc, dns_dead, dns_dead_first, dns_alt,
     hosts, order_file_dns, order_dns_file, order_strings, file_resolv,
     order_native_file, order_file_native_dns, order_yp_foo, resolv_conf,
     etc_dir, file_names, names_no_locale, names_utf8, rc_invalid, rc_syntax, rc_missing, rc_random,
     dns_scripted, dns_scripted_edns, native, host_default, concurrency].

all() ->
    [{group, G} || G <- group_names()].

groups() ->
    %% Not [sequence]: a failed case must not skip the next ones.
    [{G, [], cases(G)} || G <- group_names()].

cases(dns) -> [forward, search, reverse, slow_errors, malformed];
cases(dns_edns_inet6) -> [forward, search, reverse, slow_errors, malformed];
cases(dns_usevc) -> [forward, reverse, slow_errors];
cases(dns_dead) -> [dead];
cases(dns_dead_first) -> [dead_first];
cases(dns_alt) -> [alt];
cases(hosts) -> [hosts_names, malformed, hosts_edit, hosts_delete];
cases(resolv_conf) -> [resolv_conf];
cases(G) when G =:= rc_invalid; G =:= rc_syntax; G =:= rc_missing ->
    [rc_only];
cases(rc_random) -> [rc_random];
cases(G) when G =:= names_no_locale; G =:= names_utf8 -> [encoded_names];
cases(G) when G =:= dns_scripted; G =:= dns_scripted_edns -> [scripted];
cases(native) -> [native, malformed];
cases(host_default) -> [host_default];
cases(concurrency) -> [concurrency];
cases(_Order) -> [order].

%%--------------------------------------------------------------------
%% Suite set-up: the DNS servers, the dead nameserver, the namespace check
%%--------------------------------------------------------------------

init_per_suite(Config) ->
    T0 = erlang:monotonic_time(millisecond),
    Seed = jinet_diff:seed(),
    ok = jinet_diff:stats_restart(),
    Priv = ?config(priv_dir, Config),
    Host = host_part(),
    say("inet_resolver_SUITE: seed ~p, root ~ts, standin ~ts",
        [Seed, jinet_diff:root(Config),
         case os:getenv("JINET_STANDIN") of false -> "none"; S -> S end]),
    case os:find_executable("unbound", "/usr/sbin:/sbin:" ++
                                os:getenv("PATH", "")) of
        false ->
            jinet_diff:stats_stop(),
            {fail, "unbound not found: install it (bin/setup does)"};
        Unbound ->
            case start_keeper(Priv, Unbound) of
                {ok, Fx0} ->
                    Fx = Fx0#{host => Host, priv => Priv,
                              mountns => mountns_check(Priv)},
                    say("inet_resolver_SUITE: unbound on 127.0.0.1:~b "
                        "(alt 127.0.0.1:~b), dead nameserver 127.0.0.1:~b, "
                        "127.0.53.1:53: ~tp, mount namespace: ~tp (~b ms)",
                        [maps:get(port, Fx), maps:get(alt_port, Fx),
                         maps:get(dead_port, Fx), maps:get(ns53, Fx),
                         maps:get(mountns, Fx),
                         erlang:monotonic_time(millisecond) - T0]),
                    [{fx, Fx}, {seed, Seed}, {t0, T0} | Config];
                {error, Why} ->
                    jinet_diff:stats_stop(),
                    {fail, {fixture_not_started, Why}}
            end
    end.

end_per_suite(Config) ->
    Fx = ?config(fx, Config),
    stop_keeper(maps:get(keeper, Fx)),
    Table = jinet_diff:format_summary(jinet_diff:summary(), 30),
    say("~ninet_resolver_SUITE summary (seed ~p, ~b ms):~n~ts",
        [?config(seed, Config),
         erlang:monotonic_time(millisecond) - ?config(t0, Config), Table]),
    jinet_diff:stats_stop(),
    ok.

init_per_group(rc_random = G, Config) ->
    %% Its case starts a pair of nodes for each file it writes.
    Dir = filename:join(maps:get(priv, ?config(fx, Config)), "rc_random"),
    ok = filelib:ensure_dir(filename:join(Dir, "x")),
    [{group, G}, {dir, Dir} | Config];
init_per_group(G, Config) when G =:= dns_scripted; G =:= dns_scripted_edns ->
    {ok, Pid, Port} = start_scripted(),
    Fx = ?config(fx, Config),
    Config1 = lists:keystore(fx, 1, Config,
                             {fx, Fx#{scripted => Pid, scripted_port => Port}}),
    start_group(G, Config1);
init_per_group(G, Config) ->
    start_group(G, Config).

start_group(G, Config) ->
    Fx = ?config(fx, Config),
    Dir = filename:join(maps:get(priv, Fx), atom_to_list(G)),
    ok = filelib:ensure_dir(filename:join(Dir, "x")),
    Spec = spec(G, Dir, Fx),
    case unmet_needs(maps:get(needs, Spec, []), Fx) of
        [] ->
            [ok = write_file(P, C) || {P, C} <- maps:get(files, Spec, [])],
            Opts = node_options(Spec, Dir, Config),
            T0 = erlang:monotonic_time(millisecond),
            case jinet_diff:start_pair(Opts) of
                {ok, Pair = #{beam := #{node := B}, jinet := #{node := J,
                                                               kind := K}}} ->
                    say("inet_resolver_SUITE: ~p: BEAM ~p, ~p ~p (up in ~b ms)",
                        [G, B, K, J, erlang:monotonic_time(millisecond) - T0]),
                    jinet_diff:log("~p: args ~tp~nenv ~tp~nwrap ~tp~nspec ~tp",
                                   [G, maps:get(args, Opts), maps:get(env, Opts),
                                    maps:get(wrap, Opts), Spec]),
                    [{pair, Pair}, {spec, Spec}, {group, G}, {dir, Dir}
                     | Config];
                {error, Why} ->
                    %% The cases fail (not skip) with the reason: see
                    %% pair_nodes/1.
                    say("inet_resolver_SUITE: ~p: nodes not started: ~tp",
                        [G, Why]),
                    [{pair, {error, Why}}, {spec, Spec}, {group, G},
                     {dir, Dir} | Config]
            end;
        [Reason | _] ->
            say("inet_resolver_SUITE: ~p skipped: ~ts", [G, Reason]),
            {skip, Reason}
    end.

end_per_group(G, Config) ->
    case maps:find(scripted, ?config(fx, Config)) of
        {ok, Scripted} -> Scripted ! stop;
        error -> ok
    end,
    case ?config(pair, Config) of
        Pair = #{beam := _} ->
            {ok, Stop} = jinet_diff:stop_pair(Pair),
            jinet_diff:log("~p: nodes stopped: ~tp", [G, Stop]);
        _ ->
            ok
    end,
    ok.

init_per_testcase(Case, Config) ->
    jinet_diff:seed_process(?config(seed, Config),
                            {?config(group, Config), Case}),
    %% The group and the case, e.g. 'dns.forward', names the case's
    %% mismatch file.
    [{case_name, list_to_atom(atom_to_list(?config(group, Config)) ++ "." ++
                                  atom_to_list(Case))} | Config].

end_per_testcase(_Case, _Config) ->
    ok.

unmet_needs(Needs, Fx) ->
    [Reason || N <- Needs, {no, Reason} <- [maps:get(N, Fx)]].

%% The options both nodes are started with.
node_options(Spec, Dir, Config) ->
    Rc = filename:join(Dir, "inetrc"),
    case maps:get(rc, Spec, none) of
        none -> ok;
        {text, Text} -> ok = file:write_file(Rc, Text);
        Terms -> ok = file:write_file(Rc, rc_text(Terms))
    end,
    Quoted = "\"" ++ Rc ++ "\"",
    {Args, Env0} =
        case maps:get(how, Spec, kernel) of
            kernel -> {["-kernel", "inetrc", Quoted], []};
            env -> {[], [{"ERL_INETRC", Rc}]};
            none -> {[], []};
            {kernel, Path} -> {["-kernel", "inetrc", "\"" ++ Path ++ "\""],
                               [{"ERL_INETRC", Rc}]}
        end,
    Env1 = Env0 ++ maps:get(env, Spec, []),
    %% Nothing inherited from this node's environment decides.
    Env = Env1 ++ [{K, false} || K <- ["ERL_INETRC", "ERL_INET_ETC_DIR"],
                                 not lists:keymember(K, 1, Env1)],
    #{root => jinet_diff:root(Config), log_dir => Dir, args => Args,
      env => Env, wrap => maps:get(wrap, Spec, []), quiet => true}.

write_file(Path, Content) ->
    ok = filelib:ensure_dir(Path),
    file:write_file(Path, Content).

rc_text(Terms) ->
    ["%% written by inet_resolver_SUITE\n",
     [io_lib:format("~tp.~n", [T]) || T <- Terms]].

%%--------------------------------------------------------------------
%% The configurations
%%--------------------------------------------------------------------

spec(G, Dir, Fx = #{port := P, dead_port := Dead, alt_port := AltP}) ->
    Good = {nameserver, ?LOCAL, P},
    DeadNs = {nameserver, ?LOCAL, Dead},
    H = filename:join(Dir, "hosts"),
    H2 = filename:join(Dir, "hosts2"),
    case G of
        dns ->
            #{rc => [{lookup, [dns]}, {resolv_conf, ""}, {hosts_file, ""},
                     Good, {search, ["sub.jinet.test", "jinet.test"]},
                     {timeout, 2000}, {retry, 2},
                     {servfail_retry_timeout, 300}]};
        dns_edns_inet6 ->
            #{how => env,
              rc => [{lookup, [dns]}, {resolv_conf, ""}, Good,
                     {domain, "jinet.test"}, {inet6, true}, {edns, 0},
                     {udp_payload_size, 1232}, {cache_size, 3}, {retry, 3},
                     {timeout, 1500}, {servfail_retry_timeout, 100}]};
        dns_usevc ->
            #{rc => [{lookup, [dns]}, {resolv_conf, ""}, Good,
                     {search, ["jinet.test"]}, {usevc, true}, {inet6, false},
                     {cache_refresh, 1000}]};
        dns_dead ->
            #{rc => [{lookup, [dns]}, {resolv_conf, ""}, DeadNs,
                     {search, ["jinet.test"]}, {timeout, 300}, {retry, 2}]};
        dns_dead_first ->
            #{rc => [{lookup, [dns]}, {resolv_conf, ""}, DeadNs, Good,
                     {search, ["jinet.test"]}, {timeout, 400}, {retry, 2}]};
        dns_alt ->
            #{rc => [{lookup, [dns]}, {resolv_conf, ""}, Good,
                     {alt_nameserver, ?LOCAL, Dead},
                     {alt_nameserver, ?LOCAL, AltP},
                     {domain, "jinet.test"}, {timeout, 250}, {retry, 1}]};
        hosts ->
            #{rc => [{lookup, [file]}, {resolv_conf, ""}, {hosts_file, H}],
              files => [{H, hosts_v1()}]};
        order_file_dns ->
            #{rc => [{lookup, [file, dns]}, {resolv_conf, ""}, {hosts_file, H2},
                     Good, {search, ["jinet.test"]}, {inet6, false}
                     | rc_hosts()],
              files => [{H2, hosts_order()}]};
        order_dns_file ->
            #{how => env,
              rc => [{lookup, [dns, file]}, {resolv_conf, ""},
                     {hosts_file, H2}, Good, {domain, "jinet.test"},
                     {inet6, true} | rc_hosts()],
              files => [{H2, hosts_order()}]};
        order_strings ->
            #{rc => [{lookup, ["files", "bind"]}, {resolv_conf, ""},
                     {hosts_file, ""}, {file, hosts, H2}, Good,
                     {alt_nameserver, ?LOCAL, AltP},
                     {domain, "jinet.test"}, {search, ["sub.jinet.test",
                                                       "jinet.test"]},
                     {timeout, 1234}, {retry, 3}, {inet6, false},
                     {usevc, false}, {edns, 0}, {udp_payload_size, 1400},
                     {cache_size, 7}, {cache_refresh, 60000},
                     {servfail_retry_timeout, 200}, {recurse, true}
                     | rc_hosts()] ++
                  [{no_such_option, 1}, {retry, 9}],
              files => [{H2, hosts_order()}]};
        file_resolv ->
            %% {resolv_conf, ""} empties what {file, resolv, F} (always
            %% read first) gave: no nameserver is left.
            R = filename:join(Dir, "resolv.conf"),
            #{rc => [{lookup, [file, dns]}, {resolv_conf, ""}, {hosts_file, ""},
                     {file, resolv, R}, {file, hosts, H2}],
              files => [{H2, hosts_order()}, {R, resolv_text(v1)}]};
        order_native_file ->
            (native_spec(Dir, Fx))#{
              rc => [{lookup, [native, file]}, {resolv_conf, ""},
                     {hosts_file, H2}],
              files => [{H2, hosts_order()} | native_files(Dir)]};
        order_file_native_dns ->
            (native_spec(Dir, Fx))#{
              how => env,
              rc => [{lookup, [file, native, dns]}, {resolv_conf, ""},
                     {hosts_file, H2}, Good, {inet6, true},
                     {search, ["jinet.test"]}],
              files => [{H2, hosts_order()} | native_files(Dir)]};
        order_yp_foo ->
            (native_spec(Dir, Fx))#{
              rc => [{lookup, [yp, foo]}, {resolv_conf, ""}, {hosts_file, H2}],
              files => [{H2, hosts_order()} | native_files(Dir)]};
        resolv_conf ->
            R = filename:join(Dir, "resolv.conf"),
            #{needs => [ns53],
              rc => [{lookup, [dns]}, {resolv_conf, R}, {hosts_file, ""}, Good,
                     {search, ["other.test"]}, {timeout, 1000}, {retry, 1}],
              files => [{R, resolv_text(v1)}]};
        etc_dir ->
            %% <Etc>/resolv.conf replaces, at the first lookup, what
            %% {file, resolv, F} gave.
            Etc = filename:join(Dir, "etc"),
            R = filename:join(Dir, "resolv.conf"),
            #{how => env, env => [{"ERL_INET_ETC_DIR", Etc}],
              rc => [{lookup, [file, dns]}, {file, resolv, R}],
              files => [{filename:join(Etc, "hosts"), hosts_order()},
                        {filename:join(Etc, "resolv.conf"), resolv_text(v1)},
                        {R, resolv_text(v2)}]};
        dns_scripted ->
            #{rc => [{lookup, [dns]}, {resolv_conf, ""}, {hosts_file, ""},
                     {nameserver, ?LOCAL, maps:get(scripted_port, Fx)},
                     {alt_nameserver, ?LOCAL, P},
                     {timeout, 400}, {retry, 2},
                     {servfail_retry_timeout, 100}]};
        dns_scripted_edns ->
            #{how => env,
              rc => [{lookup, [dns]}, {resolv_conf, ""}, {hosts_file, ""},
                     {nameserver, ?LOCAL, maps:get(scripted_port, Fx)},
                     {timeout, 400}, {retry, 2},
                     {servfail_retry_timeout, 100}, {edns, 0},
                     {udp_payload_size, 1232}]};
        file_names ->
            %% File names as inet_db takes them besides strings: a binary
            %% (kept as given, so get_rc shows it) and a deep list with an
            %% atom (flattened); the last one set is read.
            R = filename:join(Dir, "resolv.conf"),
            #{rc => [{lookup, [file]}, {resolv_conf, list_to_binary(R)},
                     {hosts_file, list_to_binary(H)},
                     {hosts_file, [filename:dirname(H2), "/",
                                   list_to_atom(filename:basename(H2))]}],
              files => [{R, resolv_text(v1)}, {H, hosts_v1()},
                        {H2, hosts_order()}]};
        _ when G =:= names_no_locale; G =:= names_utf8 ->
            Env = case G of
                      names_no_locale -> [];
                      names_utf8 -> [{"LANG", "C.UTF-8"}]
                  end,
            %% Each name exists twice, its é as the byte E9 and as C3 A9.
            Both = fun(Name, Text) ->
                           [{<<(list_to_binary(Dir))/binary, "/",
                               (list_to_binary(Name))/binary, 16#e9>>,
                             [Text, "-latin1\n"]},
                            {unicode:characters_to_binary([Dir, "/", Name, 16#e9]),
                             [Text, "-utf8\n"]}]
                   end,
            Rc = [{lookup, [file]}, {resolv_conf, ""},
                  {file, hosts, Dir ++ "/rc" ++ [16#e9]},
                  {file, hosts, Dir ++ "/rc" ++ [16#100]},
                  {file, resolv, Dir ++ "/resolv" ++ [16#100]},
                  {hosts_file, Dir ++ "/hosts" ++ [16#e9]}],
            #{env => jinet_diff:locale_env(Env),
              rc => {text, unicode:characters_to_binary(rc_text(Rc))},
              files => Both("rc", "192.0.2.241 rc-file-in") ++
                  Both("hosts", "192.0.2.242 hosts-file-in")};
        rc_invalid ->
            #{rc => [{lookup, [file]}, {resolv_conf, ""}, {hosts_file, H2},
                     {host, {192, 0, 2, 230}, ["before-invalid"]},
                     {timeout, -1},
                     {retry, 3}, {host, {192, 0, 2, 231}, ["after-invalid"]}],
              files => [{H2, hosts_order()}]};
        rc_syntax ->
            (native_spec(Dir, Fx))#{
              rc => {text, ["{lookup, [file]}.\n{hosts_file, \"", H2,
                            "\"}.\n{retry 3}.\n{host, {192,0,2,232}, "
                            "[\"after-syntax\"]}.\n"]},
              files => [{H2, hosts_order()} | native_files(Dir)]};
        rc_missing ->
            (native_spec(Dir, Fx))#{
              how => {kernel, filename:join(Dir, "no-such-inetrc")},
              rc => [{lookup, [file]}, {hosts_file, H2},
                     {host, {192, 0, 2, 233}, ["from-env-rc"]}],
              files => [{H2, hosts_order()} | native_files(Dir)]};
        native ->
            (native_spec(Dir, Fx))#{how => none,
                                    files => native_files(Dir)};
        host_default ->
            #{how => none};
        concurrency ->
            #{rc => [{lookup, [file, dns]}, {resolv_conf, ""}, {hosts_file, H},
                     DeadNs, {timeout, 3000}, {retry, 1}],
              files => [{H, hosts_concurrency()}]}
    end.

%% Both nodes in a mount namespace of their own where the suite's files are
%% bind-mounted over /etc's, so that glibc (native) asks our server.
native_spec(Dir, _Fx) ->
    Mounts = [{filename:join(Dir, "ns_resolv.conf"), "/etc/resolv.conf"},
              {filename:join(Dir, "ns_hosts"), "/etc/hosts"}] ++
        [{filename:join(Dir, "ns_" ++ F), "/etc/" ++ F}
         || F <- ["nsswitch.conf", "host.conf"],
            filelib:is_regular("/etc/" ++ F)],
    #{needs => [ns53, mountns], wrap => ns_wrap(Mounts)}.

native_files(Dir) ->
    [{filename:join(Dir, "ns_resolv.conf"),
      "# written by inet_resolver_SUITE\nnameserver 127.0.53.1\n"
      "search jinet.test\noptions timeout:2 attempts:2\n"},
     {filename:join(Dir, "ns_hosts"), native_hosts()},
     {filename:join(Dir, "ns_nsswitch.conf"), "hosts: files dns\n"},
     {filename:join(Dir, "ns_host.conf"), "multi on\n"}].

ns_wrap(Mounts) ->
    Script = lists:flatten([["mount --bind ", sq(Src), " ", sq(Dst), " && "]
                            || {Src, Dst} <- Mounts] ++ ["exec \"$@\""]),
    ["unshare", "-m", "sh", "-c", Script, "sh"].

sq(S) -> "'" ++ S ++ "'".

rc_hosts() ->
    [{host, {192, 0, 2, 210}, ["rc-host", "rc-alias"]},
     {host, {16#2001, 16#db8, 0, 0, 0, 0, 0, 16#210}, ["rc-host6", "rc-host"]},
     {host, {192, 0, 2, 211}, ["multi.jinet.test"]}].

%%--------------------------------------------------------------------
%% Files the suite writes
%%--------------------------------------------------------------------

hosts_v1() ->
    ["# hosts file written by inet_resolver_SUITE (version 1)\n",
     "127.0.0.1\tlocalhost\n",
     "::1\tlocalhost ip6-localhost ip6-loopback\n",
     "192.0.2.101\talpha alpha-alias1 Alpha-Alias2\t# trailing comment\n",
     "192.0.2.102 beta.jinet.test beta\n",
     "   192.0.2.103   dup\n",
     "192.0.2.104\tdup\n",
     "192.0.2.101\tgamma\n",
     "2001:db8::101\talpha6 alpha\n",
     "fe80::1%eth0\tscoped\n",
     "fe80::2%lo\tscoped2 alpha\n",
     "192.0.2.105\tcrlf-name crlf-alias\r\n",
     "192.0.2.106\tUPPER.Case.Name UPPERALIAS\n",
     "this line is not valid\n",
     "300.1.2.3\tbadaddr\n",
     "192.0.2.107\n",
     "::ffff:192.0.2.108\tmapped-name\n",
     "192.0.2.109\ttabbed\t\tname2  \n",
     "#192.0.2.110\tcommented-out\n",
     "192.0.2.111\thash#inname\n",
     "192.0.2.112\ttrailing-dot.jinet.test.\n",
     "1.2.3\tshortaddr\n",
     "0x7f.1\thexaddr\n",
     "2001:db8::112 six-only\n",
     "\n",
     "   # indented comment\n",
     "192.0.2.113 lastline-no-newline"].

hosts_v2() ->
    ["# hosts file written by inet_resolver_SUITE (version 2, edited)\n",
     "127.0.0.1\tlocalhost\n",
     "192.0.2.121\talpha alpha-alias1\n",
     "192.0.2.103\tdup delta\n",
     "192.0.2.122\tdelta DELTA-ALIAS\n",
     "2001:db8::122\tdelta\n",
     "192.0.2.106\tUPPER.Case.Name\n"].

hosts_order() ->
    ["# order test hosts file\n",
     "192.0.2.201\tone.jinet.test filehost\n",
     "2001:db8::201\tfilehost6 one.jinet.test\n",
     "192.0.2.202\tfilehost2 FileAlias\n",
     "192.0.2.1\tfileptr\n",
     "192.0.2.203\tboth.jinet.test\n"].

hosts_concurrency() ->
    ["# concurrency hosts file\n",
     [io_lib:format("198.51.100.~b\tconc-~b conc-alias-~b\n", [I, I, I])
      || I <- lists:seq(1, 50)]].

native_hosts() ->
    ["# /etc/hosts in the suite's mount namespace\n",
     "127.0.0.1\tlocalhost\n",
     "::1\tlocalhost ip6-localhost ip6-loopback\n",
     "192.0.2.150\tnat-host nat-alias\n",
     "2001:db8::150\tnat-host6\n",
     "192.0.2.151\tnatdup\n",
     "192.0.2.152\tnatdup\n",
     "192.0.2.153\tone.jinet.test\n"].

resolv_text(v1) ->
    "# resolv.conf written by inet_resolver_SUITE\n"
    "nameserver 127.0.53.1\n"
    "search jinet.test sub.jinet.test\n"
    "options ndots:1 timeout:1 attempts:1\n";
resolv_text(v2) ->
    "# resolv.conf written by inet_resolver_SUITE, edited\n"
    "domain other.test\n"
    "nameserver 127.0.53.1\n"
    "search sub.jinet.test other.test\n"
    "options ndots:2\n".

%%--------------------------------------------------------------------
%% Name and address sets
%%--------------------------------------------------------------------

dns_names() ->
    ["one.jinet.test", "multi.jinet.test", "six.jinet.test",
     "sixmulti.jinet.test", "both.jinet.test", "alias1.jinet.test",
     "hop3.jinet.test", "cmulti.jinet.test", "c6.jinet.test",
     "dangling.jinet.test", "cross.jinet.test", "loop1.jinet.test",
     "MiXeD.jinet.test", "mixed.jinet.test", "MIXED.JINET.TEST",
     "One.Jinet.Test", "big.jinet.test", "huge.jinet.test",
     "bigsix.jinet.test", "txtonly.jinet.test", "zero.jinet.test",
     "anything.wild.jinet.test", "nx.jinet.test", "t.other.test",
     "one.jinet.test.", "multi.jinet.test.", "localhost.", "jinet.test"].

search_names(Fx) ->
    ["host", "host.sub", "one", "onlysub", "multi", "t", "nosuch",
     "localhost", "wild", "x.wild", maps:get(host, Fx),
     maps:get(host, Fx) ++ ".", "HOST", "one.", "sub"].

error_names() ->
    ["x.broken.test", "x.broken.test.", "www.example.org."].

dns_addrs() ->
    [{192, 0, 2, 1}, {192, 0, 2, 11}, {192, 0, 2, 21}, {192, 0, 2, 31},
     {192, 0, 2, 50}, {192, 0, 2, 70}, {192, 0, 2, 99}, {127, 0, 0, 1},
     {16#2001, 16#db8, 0, 0, 0, 0, 0, 1}, {16#2001, 16#db8, 0, 0, 0, 0, 0, 16#21},
     {16#2001, 16#db8, 0, 0, 0, 0, 0, 16#99},
     {0, 0, 0, 0, 0, 16#ffff, 16#c000, 16#201},
     {0, 0, 0, 0, 0, 0, 0, 1}].

%% One name through every function and family.
name_calls(N) ->
    [{gethostbyname, [N]}, {gethostbyname, [N, inet]},
     {gethostbyname, [N, inet6]}, {getaddr, [N, inet]},
     {getaddr, [N, inet6]}, {getaddrs, [N, inet]}, {getaddrs, [N, inet6]}].

%% Twice: the second answers come from the cache.
twice(Names) ->
    lists:append([name_calls(N) ++ name_calls(N) || N <- Names]).

%% As twice/1, but for the names with more than 32 records, whose answers
%% from BEAM's cache come in an order that differs from one BEAM node to the
%% next (inet_db collects a cached RR set in a map, and a map of more than
%% 32 keys iterates in the order of a hash salted per node): after the first
%% (fresh) answer, those are compared as sets (getaddr/2: the address must be
%% one of the set).
twice_dns(Names) ->
    lists:append(
      [case rrset(N) of
           [] -> Calls;
           _ -> [hd(Calls) | [{unordered, C} || C <- tl(Calls)]]
       end || N <- Names, Calls <- [name_calls(N) ++ name_calls(N)]]).

rrset(Name) ->
    case string:lowercase(string:trim(Name, trailing, ".")) of
        "big.jinet.test" -> [{198, 51, 100, I} || I <- lists:seq(1, 60)];
        "huge.jinet.test" -> [{203, 0, 113, I} || I <- lists:seq(1, 100)];
        "bigsix.jinet.test" ->
            [{16#2001, 16#db8, 1, 0, 0, 0, 0, I} || I <- lists:seq(1, 36)];
        _ -> []
    end.

unordered(_MFA, {ok, {hostent, N, Aliases, T, L, Addrs}}) when is_list(Addrs) ->
    {ok, {hostent, N, Aliases, T, L, lists:sort(Addrs)}};
unordered(_MFA, {ok, Addrs}) when is_list(Addrs) ->
    {ok, lists:sort(Addrs)};
unordered({inet, getaddr, [Name, _]}, {ok, A}) when is_tuple(A) ->
    case lists:member(A, rrset(Name)) of
        true -> {ok, '$one_of_the_rrset'};
        false -> {ok, A}
    end;
unordered(_MFA, Answer) ->
    Answer.

%% Fewer calls, for lookups that wait on a nameserver.
short_calls(N) ->
    [{gethostbyname, [N]}, {gethostbyname, [N]}, {getaddr, [N, inet6]},
     {getaddrs, [N, inet]}].

addr_calls(Addrs) ->
    lists:append([[{gethostbyaddr, [A]}, {gethostbyaddr, [A]},
                   {gethostbyaddr, [inet:ntoa(A)]}] || A <- Addrs]).

bad_names(Fx) ->
    ['one.jinet.test', one, '', 'MULTI.jinet.test', <<"one.jinet.test">>,
     <<>>, 42, -1, 1.5, {192, 0, 2, 1}, {256, 0, 0, 1}, {1, 2, 3},
     {-1, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0, 16#10000},
     {0, 0, 0, 0, 0, 0, 0, 1}, {16#2001, 16#db8, 0, 0, 0, 0, 0, 1},
     "", ".", "..", "one..jinet.test", ".one.jinet.test", "one.jinet.test..",
     [$o, $n | e], ["one", ".jinet.test"], [16#100], [$o, 0, $e],
     "one jinet.test", "one\tjinet.test", "one.jinet.test\n",
     lists:duplicate(64, $a) ++ ".jinet.test",
     string:join(lists:duplicate(60, "abcd"), "."),
     "192.0.2.1", "192.0.2.1.", "::1", "::ffff:192.0.2.1", "1.2.3",
     "fe80::1%lo", "0x7f.1", "300.1.1.1", [], [one], "\xff.jinet.test",
     "one.jinet.test" ++ [16#1F600], "_srv.jinet.test", "-one.jinet.test",
     "localhost", "LOCALHOST", maps:get(host, Fx), self(), #{}].

is_byte_list([C | T]) when is_integer(C), C >= 0, C =< 255 -> is_byte_list(T);
is_byte_list([]) -> true;
is_byte_list(_) -> false.

bad_families() ->
    [local, foo, "inet", 4, undefined, inet4, {inet}, [inet]].

bad_addrs() ->
    [{192, 0, 2, 1}, "192.0.2.1", '192.0.2.1', <<"192.0.2.1">>,
     {256, 0, 0, 1}, {1, 2, 3}, {1, 2, 3, 4, 5}, {-1, 0, 0, 0},
     {0, 0, 0, 0, 0, 0, 0, 16#10000}, {0, 0, 0, 0, 0, 0, 0, -1},
     "", "one.jinet.test", "::ffff:192.0.2.1", "::ffff:c000:201",
     "192.0.2.1 ", "300.1.1.1", "1.2.3", "0x7f.1", 42, [], [$1 | x],
     ["192.0.2.1"], "fe80::1%lo", "2001:db8::1", "2001:DB8::1", self()].

malformed_calls(Fx, native) ->
    %% Native lookups of a list that is not a flat list of bytes stall for
    %% 8 s on BEAM (inet_gethost_native's port refuses the command and the
    %% caller waits for its timeout): one such call only.
    Flat = fun(N) -> not is_list(N) orelse is_byte_list(N) end,
    [C || C = {_, [N | _]} <- malformed_calls(Fx, any), Flat(N)] ++
        [{gethostbyname, [[$o, $n | e]]}];
malformed_calls(Fx, _) ->
    Names = bad_names(Fx),
    [{gethostbyname, [N]} || N <- Names] ++
        [{F, [N, Fam]} || F <- [gethostbyname, getaddr, getaddrs],
                          N <- Names, Fam <- [inet, inet6]] ++
        [{F, [N, Fam]} || F <- [gethostbyname, getaddr, getaddrs],
                          N <- ["one.jinet.test", "localhost", {192, 0, 2, 1},
                                {0, 0, 0, 0, 0, 0, 0, 1}, "192.0.2.1"],
                          Fam <- bad_families()] ++
        [{gethostbyaddr, [A]} || A <- bad_addrs()].

%%--------------------------------------------------------------------
%% Cases
%%--------------------------------------------------------------------

forward(Config) ->
    Expect = case ?config(group, Config) of
                 dns_edns_inet6 ->
                     %% TC over UDP only beyond 1232 bytes; inet6 true.
                     [{expect, {getaddrs, ["huge.jinet.test", inet]},
                       fun({ok, L}) -> length(L) =:= 100; (_) -> false end},
                      {expect, {gethostbyname, ["six.jinet.test"]},
                       {ok, {hostent, "six.jinet.test", [], inet6, 16,
                             [{16#2001, 16#db8, 0, 0, 0, 0, 0, 1}]}}}];
                 _ ->
                     [{expect, {getaddrs, ["big.jinet.test", inet]},
                       fun({ok, L}) -> length(L) =:= 60; (_) -> false end},
                      {expect, {getaddr, ["hop3.jinet.test", inet]},
                       {ok, {192, 0, 2, 21}}}]
             end,
    run(Config, Expect ++ twice_dns(dns_names())).

search(Config) ->
    Fx = ?config(fx, Config),
    Expect = case ?config(group, Config) of
                 dns -> [{expect, {getaddr, ["host", inet]},
                          {ok, {192, 0, 2, 50}}}];
                 _ -> [{expect, {getaddr, ["host", inet]},
                        {ok, {192, 0, 2, 51}}}]
             end,
    run(Config, Expect ++ twice(search_names(Fx))).

reverse(Config) ->
    %% SERVFAIL (203.0.113.0/24) and REFUSED answers are not cached.
    run(Config, [{expect, {gethostbyaddr, [{192, 0, 2, 1}]},
                  {ok, {hostent, "one.jinet.test", [], inet, 4,
                        [{192, 0, 2, 1}]}}}
                 | addr_calls(dns_addrs())] ++
            [{gethostbyaddr, [{203, 0, 113, 1}]},
             {gethostbyaddr, [{198, 51, 100, 1}]}]).

%% SERVFAIL and REFUSED answers are not cached and may be retried after
%% servfail_retry_timeout: fewer calls.
slow_errors(Config) ->
    Calls = case ?config(group, Config) of
                dns_usevc ->
                    %% Default servfail_retry_timeout (1500) and retry (3).
                    [{gethostbyname, ["x.broken.test."]},
                     {getaddr, ["www.example.org.", inet6]}];
                _ ->
                    lists:append(
                      [[{gethostbyname, [N]}, {gethostbyname, [N]},
                        {getaddr, [N, inet6]}] || N <- error_names()])
            end,
    run(Config, [{expect, {getaddr, ["x.broken.test.", inet]},
                  {error, nxdomain}} | Calls]).

malformed(Config) ->
    run(Config, malformed_calls(?config(fx, Config), ?config(group, Config))).

dead(Config) ->
    Calls = [{gethostbyname, ["one.jinet.test."]},
             {gethostbyname, ["one.jinet.test.", inet6]},
             {getaddr, ["one", inet]},
             {getaddrs, ["one.jinet.test", inet]},
             {gethostbyaddr, [{192, 0, 2, 1}]},
             {gethostbyname, [host_part()]},
             {getaddr, ["192.0.2.1", inet]}],
    T0 = erlang:monotonic_time(millisecond),
    run(Config, [{expect, {getaddr, ["one.jinet.test.", inet]},
                  {error, nxdomain}} | Calls]),
    %% Each lookup that reaches the dead server takes timeout/retry * (1+2).
    Took = erlang:monotonic_time(millisecond) - T0,
    say("dns_dead: ~b ms", [Took]),
    Took >= 2000 orelse ct:fail({dead_nameserver_answered_too_fast, Took}).

%% Every query first waits on the dead nameserver: fewer calls.
dead_first(Config) ->
    run(Config, [{expect, {getaddr, ["one.jinet.test", inet]},
                  {ok, {192, 0, 2, 1}}}
                 | lists:append(
                     [short_calls(N) ++ short_calls(N)
                      || N <- ["one.jinet.test", "multi", "both.jinet.test",
                               "one.jinet.test."]])] ++
            short_calls("nx.jinet.test") ++ addr_calls([{192, 0, 2, 11}])).

%% A name the first server does not have (or has no address for) is asked
%% of the alt_nameservers, the dead one first.
alt(Config) ->
    run(Config, [{expect, {getaddr, ["onlyalt.jinet.test", inet]},
                  {ok, {192, 0, 2, 220}}}
                 | lists:append(
                     [short_calls(N) ++ short_calls(N)
                      || N <- ["onlyalt.jinet.test", "txtonly.jinet.test",
                               "one.jinet.test", "onlyalt",
                               "onlyalt.jinet.test."]])] ++
            short_calls("nx.jinet.test") ++
            addr_calls([{192, 0, 2, 1}, {192, 0, 2, 220}])).

hosts_names(Config) ->
    run(Config, [{expect, {getaddr, ["alpha", inet]}, {ok, {192, 0, 2, 101}}},
                 {expect, {getaddrs, ["dup", inet]},
                  {ok, [{192, 0, 2, 103}, {192, 0, 2, 104}]}}
                 | twice(hosts_file_names())] ++
            addr_calls(hosts_file_addrs())).

hosts_file_names() ->
    ["localhost", "alpha", "ALPHA", "alpha-alias1", "alpha-alias2",
     "Alpha-Alias2", "beta", "beta.jinet.test", "beta.jinet.test.", "dup",
     "gamma", "alpha6", "scoped", "scoped2", "crlf-name", "crlf-alias",
     "crlf-alias\r", "upper.case.name", "UPPER.Case.Name", "UPPERALIAS",
     "badaddr", "not", "valid", "mapped-name", "tabbed", "name2",
     "commented-out", "hash", "hash#inname", "trailing-dot.jinet.test.",
     "trailing-dot.jinet.test", "shortaddr", "hexaddr", "six-only",
     "lastline-no-newline", "delta", "ip6-localhost", "nosuchname",
     host_part()].

hosts_file_addrs() ->
    [{127, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 0, 1}, {192, 0, 2, 101},
     {192, 0, 2, 102}, {192, 0, 2, 103}, {192, 0, 2, 104}, {192, 0, 2, 105},
     {192, 0, 2, 106}, {192, 0, 2, 108}, {192, 0, 2, 111}, {192, 0, 2, 112},
     {192, 0, 2, 113}, {192, 0, 2, 121}, {192, 0, 2, 122}, {192, 0, 2, 99},
     {16#2001, 16#db8, 0, 0, 0, 0, 0, 16#101},
     {16#2001, 16#db8, 0, 0, 0, 0, 0, 16#122},
     {16#fe80, 0, 0, 0, 0, 0, 0, 1},
     {0, 0, 0, 0, 0, 16#ffff, 16#c000, 16#26c}].

%% The hosts file changes under the running nodes: compared again once
%% both must have re-read it.
hosts_edit(Config) ->
    _ = pair_nodes(Config),
    H = filename:join(?config(dir, Config), "hosts"),
    run(Config, twice(["alpha", "delta", "dup"])),
    ok = file:write_file(H, hosts_v2()),
    timer:sleep(?RECHECK_WAIT),
    run(Config, [{expect, {getaddr, ["alpha", inet]}, {ok, {192, 0, 2, 121}}}
                 | twice(hosts_file_names())] ++
            addr_calls(hosts_file_addrs())).

hosts_delete(Config) ->
    _ = pair_nodes(Config),
    H = filename:join(?config(dir, Config), "hosts"),
    ok = file:delete(H),
    timer:sleep(?RECHECK_WAIT),
    run(Config, [{expect, {getaddr, ["alpha", inet]}, {error, nxdomain}}
                 | twice(["alpha", "delta", "localhost", host_part()])] ++
            addr_calls([{192, 0, 2, 121}, {127, 0, 0, 1}])),
    ok = file:write_file(H, hosts_v1()),
    timer:sleep(?RECHECK_WAIT),
    run(Config, [{expect, {getaddr, ["alpha", inet]}, {ok, {192, 0, 2, 101}}}
                 | twice(["alpha", "delta", "beta"])] ++
            addr_calls([{192, 0, 2, 101}])).

order(Config) ->
    G = ?config(group, Config),
    Expect = case G of
                 order_file_dns ->
                     [{expect, {getaddr, ["one.jinet.test", inet]},
                       {ok, {192, 0, 2, 201}}}];
                 order_dns_file ->
                     [{expect, {getaddr, ["one.jinet.test", inet]},
                       {ok, {192, 0, 2, 1}}}];
                 order_strings ->
                     [{expect, {getaddr, ["filehost2", inet]},
                       {ok, {192, 0, 2, 202}}}];
                 file_resolv ->
                     [{expect, {getaddr, ["filehost2", inet]},
                       {ok, {192, 0, 2, 202}}},
                      {expect, {getaddr, ["multi", inet]}, {error, nxdomain}}];
                 order_native_file ->
                     [{expect, {getaddr, ["one.jinet.test", inet]},
                       {ok, {192, 0, 2, 153}}}];
                 order_file_native_dns ->
                     [{expect, {getaddr, ["nat-host", inet]},
                       {ok, {192, 0, 2, 150}}}];
                 order_yp_foo ->
                     [{expect, {getaddr, ["nat-host", inet]},
                       {ok, {192, 0, 2, 150}}}];
                 file_names ->
                     [{expect, {getaddr, ["filehost2", inet]},
                       {ok, {192, 0, 2, 202}}}];
                 etc_dir ->
                     [{expect, {getaddr, ["filehost2", inet]},
                       {ok, {192, 0, 2, 202}}}] ++
                         [{expect, {getaddr, ["multi", inet]},
                           {ok, {192, 0, 2, 11}}}
                          || maps:get(ns53, ?config(fx, Config)) =:= ok];
                 _ -> []
             end,
    Names = ["one.jinet.test", "filehost", "filehost6", "filehost2",
             "fileALIAS", "fileptr", "both.jinet.test", "multi.jinet.test",
             "multi", "six.jinet.test", "rc-host", "rc-alias", "rc-host6",
             "nat-host", "nat-host6", "natdup", "localhost", "nx.jinet.test",
             "nosuchname", "onlyalt.jinet.test", "host", host_part(),
             "one.jinet.test."],
    Addrs = [{192, 0, 2, 201}, {192, 0, 2, 202}, {192, 0, 2, 1},
             {192, 0, 2, 11}, {192, 0, 2, 210}, {192, 0, 2, 211},
             {192, 0, 2, 150}, {192, 0, 2, 99}, {127, 0, 0, 1},
             {16#2001, 16#db8, 0, 0, 0, 0, 0, 16#201},
             {16#2001, 16#db8, 0, 0, 0, 0, 0, 16#210},
             {16#2001, 16#db8, 0, 0, 0, 0, 0, 1}],
    run(Config, Expect ++ twice(Names) ++ addr_calls(Addrs)).

%% The files read are the ones the locale's file name encoding names: in
%% latin1 the é names end in the byte E9, in UTF-8 in C3 A9; a name with a
%% character above 255 is read in neither.
encoded_names(Config) ->
    Read = case ?config(group, Config) of
               names_no_locale -> "latin1";
               names_utf8 -> "utf8"
           end,
    run(Config,
        [{expect, {getaddr, ["rc-file-in-" ++ Read, inet]}, {ok, {192, 0, 2, 241}}},
         {expect, {getaddr, ["hosts-file-in-" ++ Read, inet]},
          {ok, {192, 0, 2, 242}}}
         | twice(["rc-file-in-latin1", "rc-file-in-utf8",
                  "hosts-file-in-latin1", "hosts-file-in-utf8"])] ++
            addr_calls([{192, 0, 2, 241}, {192, 0, 2, 242}])).

%% resolv.conf's nameservers and search list replace the inetrc's at the
%% first lookup; then the file is edited under the running nodes.
resolv_conf(Config) ->
    _ = pair_nodes(Config),
    R = filename:join(?config(dir, Config), "resolv.conf"),
    Names = ["one", "host", "t", "multi.jinet.test", "nx.jinet.test",
             "onlysub"],
    run(Config, [{expect, {getaddr, ["one", inet]}, {ok, {192, 0, 2, 1}}}
                 | twice(Names)] ++ addr_calls([{192, 0, 2, 1}])),
    ok = file:write_file(R, resolv_text(v2)),
    timer:sleep(?RECHECK_WAIT),
    run(Config, [{expect, {getaddr, ["t", inet]}, {ok, {203, 0, 113, 5}}}
                 | twice(Names)]).

rc_only(Config) ->
    Expect = case ?config(group, Config) of
                 rc_invalid ->
                     [{expect, {getaddr, ["before-invalid", inet]},
                       {ok, {192, 0, 2, 230}}}];
                 rc_missing ->
                     [{expect, {getaddr, ["from-env-rc", inet]},
                       {error, nxdomain}}];
                 rc_syntax ->
                     [{expect, {getaddr, ["after-syntax", inet]},
                       {error, nxdomain}}]
             end,
    run(Config, Expect ++
            twice(["localhost", host_part(), "filehost2", "before-invalid",
                   "after-invalid", "after-syntax", "from-env-rc"]) ++
            addr_calls([{127, 0, 0, 1}, {192, 0, 2, 202},
                        {192, 0, 2, 230}])).

native(Config) ->
    Names = ["localhost", "nat-host", "nat-alias", "NAT-HOST", "natdup",
             "nat-host6", "ip6-localhost", "one.jinet.test", "multi.jinet.test",
             "both.jinet.test", "alias1.jinet.test", "hop3.jinet.test",
             "six.jinet.test", "sixmulti.jinet.test", "multi", "host.sub",
             "MiXeD.jinet.test", "big.jinet.test", "cross.jinet.test",
             "dangling.jinet.test", "txtonly.jinet.test", "nx.jinet.test",
             "x.broken.test", "www.example.org", "one.jinet.test.",
             host_part()],
    Addrs = [{192, 0, 2, 150}, {192, 0, 2, 1}, {192, 0, 2, 11},
             {192, 0, 2, 31}, {192, 0, 2, 70}, {192, 0, 2, 99},
             {127, 0, 0, 1}, {0, 0, 0, 0, 0, 0, 0, 1},
             {16#2001, 16#db8, 0, 0, 0, 0, 0, 1},
             {16#2001, 16#db8, 0, 0, 0, 0, 0, 16#150},
             {0, 0, 0, 0, 0, 16#ffff, 16#c000, 16#201}, {203, 0, 113, 1}],
    run(Config, [{expect, {getaddr, ["nat-host", inet]},
                  {ok, {192, 0, 2, 150}}},
                 {expect, {getaddr, ["hop3.jinet.test", inet]},
                  {ok, {192, 0, 2, 21}}}
                 | twice(Names)] ++ addr_calls(Addrs)).

%% The host's own configuration: names from its /etc/hosts (IPv4 lookups,
%% answered from the file), its name, and a name nobody has. Only a few
%% calls go to the host's DNS server (glibc asks it for what the file does
%% not have).
host_default(Config) ->
    Names = lists:usort(["localhost", host_part()] ++
                            lists:sublist(etc_hosts_names(), 6)),
    V4 = fun(N) -> [{gethostbyname, [N]}, {gethostbyname, [N, inet]},
                    {getaddr, [N, inet]}, {getaddrs, [N, inet]}]
         end,
    Missing = "jinet-no-such-host.invalid",
    run(Config, [{expect, {getaddr, ["localhost", inet]}, {ok, ?LOCAL}}
                 | lists:append([V4(N) ++ V4(N) || N <- Names])] ++
            [{getaddr, ["localhost", inet6]},
             {gethostbyname, ["localhost", inet6]},
             {gethostbyname, [Missing]}, {getaddr, [Missing, inet6]}] ++
            addr_calls([?LOCAL])).

etc_hosts_names() ->
    case file:read_file("/etc/hosts") of
        {ok, Bin} ->
            lists:usort(
              [N || L <- string:split(binary_to_list(Bin), "\n", all),
                    [Addr | Ns] <- [string:lexemes(hd(string:split(L, "#")),
                                                   " \t\r")],
                    {ok, _} <- [inet:parse_ipv4strict_address(Addr)],
                    N <- Ns]);
        _ ->
            []
    end.

%% One lookup waits on the dead nameserver (timeout 3000) while 50 other
%% processes look up names of the hosts file: each of those must be quick,
%% on both nodes, and every answer must be the same on both.
concurrency(Config) ->
    {B, J} = pair_nodes(Config),
    run(Config, []),
    Names = ["conc-" ++ integer_to_list(I) || I <- lists:seq(1, 50)],
    [{ok, RB}, {ok, RJ}] = parallel([fun() -> conc_run(B, Names) end,
                                     fun() -> conc_run(J, Names) end]),
    say("concurrency: slow lookup ~b ms (BEAM) / ~b ms (node); the 50 others "
        "at most ~b ms (BEAM) / ~b ms (node)",
        [element(2, maps:get(slow, RB)), element(2, maps:get(slow, RJ)),
         lists:max([E || {_, _, E, _} <- maps:get(fast, RB)]),
         lists:max([E || {_, _, E, _} <- maps:get(fast, RJ)])]),
    Pairs = [{{inet, gethostbyname, [?SLOW_NAME]},
              element(1, maps:get(slow, RB)), element(1, maps:get(slow, RJ))}
            | [{{inet, gethostbyname, [N]}, X, Y}
               || {{N, X, _, _}, {N, Y, _, _}} <-
                      lists:zip(maps:get(fast, RB), maps:get(fast, RJ))]],
    Mismatches = [#{mfa => MFA, beam => X, jinet => Y}
                  || {MFA, X, Y} <- Pairs, not jinet_diff:same(X, Y)],
    jinet_diff:record(label(Config), length(Pairs),
                      length(Pairs) - length(Mismatches)),
    jinet_diff:report(ctx(?config(case_name, Config), Config), Mismatches),
    Problems = conc_problems(beam, RB) ++ conc_problems(node, RJ),
    Problems =:= [] orelse ct:fail({concurrency, Problems}),
    run(Config, []).

conc_run(Node, Names) ->
    T0 = erlang:monotonic_time(millisecond),
    Slow = spawn_monitor(
             fun() ->
                     R = rpc:call(Node, inet, gethostbyname, [?SLOW_NAME],
                                  30000),
                     exit({done, R, erlang:monotonic_time(millisecond)})
             end),
    timer:sleep(300),
    Fast = [{N, spawn_monitor(
                  fun() ->
                          S = erlang:monotonic_time(millisecond),
                          R = rpc:call(Node, inet, gethostbyname, [N], 30000),
                          E = erlang:monotonic_time(millisecond),
                          exit({done, R, E - S, E})
                  end)} || N <- Names],
    FastResults = [receive
                       {'DOWN', M, process, P, {done, R, Took, End}} ->
                           {N, R, Took, End};
                       {'DOWN', M, process, P, Other} ->
                           {N, {crashed, Other}, 0, 0}
                   end || {N, {P, M}} <- Fast],
    {SP, SM} = Slow,
    SlowResult = receive
                     {'DOWN', SM, process, SP, {done, R, End}} ->
                         {R, End - T0, End};
                     {'DOWN', SM, process, SP, Other} ->
                         {{crashed, Other}, 0, 0}
                 end,
    #{slow => SlowResult, fast => FastResults}.

conc_problems(Which, #{slow := {_, SlowTook, SlowEnd}, fast := Fast}) ->
    [{Which, slow_lookup_did_not_wait, SlowTook} || SlowTook < 2500] ++
        [{Which, N, took_ms, Took} || {N, _, Took, _} <- Fast, Took >= 500] ++
        [{Which, N, finished_after_the_slow_lookup}
         || {N, _, _, End} <- Fast, End >= SlowEnd].

%%--------------------------------------------------------------------
%% Running and comparing
%%--------------------------------------------------------------------

%% Items: {F, Args} calls, and {expect, Call, Expected} where the BEAM
%% peer's answer to Call must also be Expected (a term, or a predicate).
%% get_rc() is compared before and after.
run(Config, Items0) ->
    {B, J} = pair_nodes(Config),
    %% The expected answers last: the other calls come first, as written.
    Items = [I || I <- Items0, element(1, I) =/= expect] ++
        [I || I <- Items0, element(1, I) =:= expect],
    Calls = [{get_rc, []}] ++ [call_of(I) || I <- Items] ++ [{get_rc, []}],
    Unordered = maps:from_list(
                  [{I, true} || {I, {unordered, _}}
                                    <- lists:zip(lists:seq(2, length(Items) + 1),
                                                 Items)]),
    Canon = fun(I, MFA, Answer) ->
                    case maps:is_key(I, Unordered) of
                        true -> unordered(MFA, Answer);
                        false -> Answer
                    end
            end,
    {Mismatches, Results} =
        jinet_diff:compare_nodes_results(Calls, B, J, label(Config), Canon),
    Case = case ?config(case_name, Config) of
               undefined -> ?config(group, Config);
               TC -> TC
           end,
    {_, RcBefore, _} = hd(Results),
    {_, RcAfter, _} = lists:last(Results),
    jinet_diff:log("~p: ~b calls; BEAM's get_rc() before:~n~tp~nafter:~n~tp",
                   [Case, length(Calls), RcBefore, RcAfter]),
    jinet_diff:report(ctx(Case, Config), Mismatches),
    Unexpected =
        [#{call => MFA, expected => Exp, beam => BR}
         || {{expect, _, Exp}, {MFA, BR, _}} <- lists:zip(
                                                   [x] ++ Items ++ [x],
                                                   Results),
            not expected(Exp, BR)],
    Unexpected =:= [] orelse
        ct:fail({beam_answers_not_as_configured, Unexpected}),
    ok.

%% Every scripted behaviour, forward (A and AAAA) and reverse (PTR).
scripted(Config) ->
    Names = [L ++ ".scripted.test" || L <- scripted_labels()],
    Addrs = [{192, 0, 2, N} || N <- lists:seq(1, length(scripted_labels()))],
    run(Config, twice(Names) ++ addr_calls(Addrs)).

%% The behaviours, by the first label of the name asked (for PTR queries
%% 192.0.2.N, the N-th of the list).
scripted_labels() ->
    ["ok", "badid", "onlybadid", "garbage", "short", "formerr", "servfail",
     "nxdomain", "notimp", "refused", "yxdomain", "badvers", "ednsformerr",
     "qr0", "opcode", "noquery", "noquestion", "tc", "tcbadid", "tcclose",
     "cname", "cnameonly", "twocnames", "empty", "mixedcase", "chaos",
     "ttl0", "dup"].

start_scripted() ->
    Parent = self(),
    Pid = spawn(fun() ->
                        {U, L, Port} = udp_and_tcp_port(20),
                        Self = self(),
                        spawn_link(fun() -> scripted_accept(L, Self) end),
                        Parent ! {scripted, self(), Port},
                        scripted_loop(U)
                end),
    receive
        {scripted, Pid, Port} -> {ok, Pid, Port}
    after 5000 -> {error, scripted_server_not_started}
    end.

%% A UDP socket and a TCP listener on one free port number. The UDP port is
%% free for UDP only: an outgoing TCP connection of this busy suite may hold
%% the same number as its local port, so a taken TCP port means another try.
udp_and_tcp_port(0) ->
    exit(no_port_free_for_both_udp_and_tcp);
udp_and_tcp_port(Tries) ->
    {ok, U} = gen_udp:open(0, [binary, {ip, ?LOCAL}, {active, true}]),
    {ok, Port} = inet:port(U),
    case gen_tcp:listen(Port, [binary, {ip, ?LOCAL}, {packet, 2},
                               {active, false}, {reuseaddr, true}]) of
        {ok, L} ->
            {U, L, Port};
        {error, eaddrinuse} ->
            gen_udp:close(U),
            udp_and_tcp_port(Tries - 1)
    end.

scripted_loop(U) ->
    receive
        {udp, U, IP, P, Bin} ->
            %% The server must outlive any query: both nodes use it at once.
            try inet_dns:decode(Bin) of
                {ok, Q} ->
                    [ok = gen_udp:send(U, IP, P, R) || R <- scripted(udp, Q)];
                _ ->
                    ok
            catch
                C:R:St -> ct:log("scripted server: ~p:~p ~p", [C, R, St])
            end,
            scripted_loop(U);
        stop ->
            gen_udp:close(U),
            exit(normal);
        _ ->
            scripted_loop(U)
    end.

scripted_accept(L, Owner) ->
    case gen_tcp:accept(L, 1000) of
        {ok, S} ->
            Handler = spawn(fun() ->
                                    receive go -> ok end,
                                    case gen_tcp:recv(S, 0, 5000) of
                                        {ok, Bin} ->
                                            {ok, Q} = inet_dns:decode(Bin),
                                            [gen_tcp:send(S, R)
                                             || R <- scripted(tcp, Q)];
                                        _ ->
                                            ok
                                    end,
                                    gen_tcp:close(S)
                            end),
            ok = gen_tcp:controlling_process(S, Handler),
            Handler ! go,
            scripted_accept(L, Owner);
        {error, timeout} ->
            case is_process_alive(Owner) of
                true -> scripted_accept(L, Owner);
                false -> gen_tcp:close(L)
            end;
        {error, _} ->
            gen_tcp:close(L)
    end.

%% The replies to one query: binaries, in the order they are sent.
scripted(Transport, #dns_rec{header = H,
                             qdlist = [#dns_query{domain = D, type = T}] = QD,
                             arlist = AR}) ->
    Edns = lists:keymember(dns_rr_opt, 1, AR),
    Label = scripted_label(string:lowercase(D)),
    Answer = fun(Records) -> scripted_reply(H, QD, Records, []) end,
    Ok = Answer(scripted_records(D, T, "ok.scripted.test", 60)),
    Rcode = fun(RC) ->
                    scripted_encode(#dns_rec{header = (reply_header(H))#dns_header{
                                                        rcode = RC},
                                             qdlist = QD})
            end,
    case {Label, Transport} of
        {"ok", _} -> [Ok];
        {"badid", _} ->
            Other = (reply_header(H))#dns_header{id = (H#dns_header.id + 1)
                                                 band 16#ffff},
            [scripted_encode(#dns_rec{header = Other, qdlist = QD,
                                      anlist = scripted_records(
                                                 D, T, "bad.scripted.test", 60)}),
             Ok];
        {"onlybadid", _} ->
            [scripted_encode(#dns_rec{header = (reply_header(H))#dns_header{
                                                 id = (H#dns_header.id + 7)
                                                     band 16#ffff},
                                      qdlist = QD})];
        {"garbage", _} -> [<<1, 2, 3>>];
        {"short", _} ->
            <<Id:16, _/binary>> = Ok,
            [<<Id:16, 16#8180:16, 1:16, 1:16, 0:16, 0:16>>];
        {"formerr", _} -> [Rcode(1)];
        {"servfail", _} -> [Rcode(2)];
        {"nxdomain", _} -> [Rcode(3)];
        {"notimp", _} -> [Rcode(4)];
        {"refused", _} -> [Rcode(5)];
        {"yxdomain", _} -> [Rcode(6)];
        {"badvers", _} when Edns ->
            [scripted_encode(#dns_rec{header = reply_header(H), qdlist = QD,
                                      arlist = [#dns_rr_opt{ext_rcode = 1}]})];
        {"ednsformerr", _} when Edns -> [Rcode(1)];
        {"qr0", _} ->
            [scripted_encode(#dns_rec{header = (reply_header(H))#dns_header{
                                                 qr = false},
                                      qdlist = QD})];
        {"opcode", _} ->
            [scripted_encode(#dns_rec{header = (reply_header(H))#dns_header{
                                                 opcode = status},
                                      qdlist = QD})];
        {"noquery", _} ->
            [scripted_reply(H, [#dns_query{domain = "other.scripted.test",
                                           type = T, class = in}],
                            scripted_records(D, T, "ok.scripted.test", 60),
                            [])];
        {"noquestion", _} -> [scripted_reply(H, [], [], [])];
        {"tc", udp} -> [scripted_tc(H, QD)];
        {"tcbadid", udp} -> [scripted_tc(H, QD)];
        {"tcclose", udp} -> [scripted_tc(H, QD)];
        {"tc", tcp} -> [Ok];
        {"tcbadid", tcp} ->
            [scripted_encode(#dns_rec{header = (reply_header(H))#dns_header{
                                                 id = (H#dns_header.id + 1)
                                                     band 16#ffff},
                                      qdlist = QD})];
        {"tcclose", tcp} -> [];
        {"cname", _} ->
            Target = "ok.scripted.test",
            [Answer([#dns_rr{domain = D, type = cname, class = in, ttl = 60,
                             data = Target}
                     | scripted_records(Target, T, Target, 60)])];
        {"cnameonly", _} ->
            [Answer([#dns_rr{domain = D, type = cname, class = in, ttl = 60,
                             data = "missing.scripted.test"}])];
        {"twocnames", _} ->
            [Answer([#dns_rr{domain = D, type = cname, class = in, ttl = 60,
                             data = "ok.scripted.test"},
                     #dns_rr{domain = D, type = cname, class = in, ttl = 60,
                             data = "other.scripted.test"}])];
        {"empty", _} -> [Answer([])];
        {"mixedcase", _} ->
            [Answer(scripted_records(string:uppercase(D), T,
                                     "MixedCase.Scripted.Test", 60))];
        {"chaos", _} ->
            %% inet_dns cannot encode an address in class CHAOS: the record
            %% is written by hand after the question (owner: a pointer to
            %% the question's name at offset 12).
            <<Head:6/binary, _AnCount:16, Rest/binary>> =
                scripted_encode(#dns_rec{header = reply_header(H), qdlist = QD}),
            [<<Head/binary, 1:16, Rest/binary, 16#C00C:16, 1:16, 3:16, 60:32,
               4:16, 192, 0, 2, 10>>];
        {"ttl0", _} -> [Answer(scripted_records(D, T, "ok.scripted.test", 0))];
        {"dup", _} ->
            Rs = scripted_records(D, T, "ok.scripted.test", 60),
            [Answer(Rs ++ Rs)];
        _ -> [Ok]
    end;
scripted(_, _) ->
    [].

scripted_label(Domain) ->
    case string:split(Domain, ".") of
        [N, "2.0.192.in-addr.arpa"] ->
            try lists:nth(list_to_integer(N), scripted_labels())
            catch _:_ -> "ok"
            end;
        [L | _] -> L
    end.

%% Records answering type T for domain D: an address, or a PTR name.
scripted_records(D, a, _, TTL) ->
    [#dns_rr{domain = D, type = a, class = in, ttl = TTL, data = {192, 0, 2, 10}},
     #dns_rr{domain = D, type = a, class = in, ttl = TTL, data = {192, 0, 2, 9}}];
scripted_records(D, aaaa, _, TTL) ->
    [#dns_rr{domain = D, type = aaaa, class = in, ttl = TTL,
             data = {16#2001, 16#db8, 0, 0, 0, 0, 0, 16#10}}];
scripted_records(D, ptr, Name, TTL) ->
    [#dns_rr{domain = D, type = ptr, class = in, ttl = TTL, data = Name}];
scripted_records(_, _, _, _) ->
    [].

reply_header(H) ->
    H#dns_header{qr = true, ra = true, aa = true, tc = false, rcode = 0}.

scripted_reply(H, QD, AN, AR) ->
    scripted_encode(#dns_rec{header = reply_header(H), qdlist = QD,
                             anlist = AN, arlist = AR}).

scripted_tc(H, QD) ->
    scripted_encode(#dns_rec{header = (reply_header(H))#dns_header{tc = true},
                             qdlist = QD}).

scripted_encode(Rec) ->
    iolist_to_binary(inet_dns:encode(Rec)).

%% Random inetrc files: a pair of nodes for each, get_rc() and lookups of
%% the names the file may define, compared.
rc_random(Config) ->
    Dir = ?config(dir, Config),
    Outcomes =
        [begin
             Terms = random_rc(),
             Sub = filename:join(Dir, integer_to_list(N)),
             ok = filelib:ensure_dir(filename:join(Sub, "x")),
             Opts = node_options(#{rc => Terms}, Sub, Config),
             jinet_diff:log("rc_random ~b: ~tp", [N, Terms]),
             case jinet_diff:start_pair(Opts) of
                 {ok, Pair = #{beam := #{node := B}, jinet := #{node := J}}} ->
                     Calls = [{get_rc, []}, {gethostbyname, ["rnd-host"]},
                              {gethostbyname, ["rnd-host", inet6]},
                              {gethostbyaddr, [{192, 0, 2, 77}]},
                              {getaddr, ["localhost", inet]}, {get_rc, []}],
                     {Ms, _} = jinet_diff:compare_nodes_results(
                                 Calls, B, J, "rc_random"),
                     {ok, _} = jinet_diff:stop_pair(Pair),
                     {compared, Ms};
                 {error, #{beam := {ok, {error, Why}},
                           jinet := {ok, {ok, _}}}} ->
                     %% A configuration the BEAM peer cannot start with
                     %% (e.g. one that breaks its own connections) cannot
                     %% be compared; it is logged and counted.
                     say("inet_resolver_SUITE: rc_random ~b: the BEAM peer "
                         "did not start with this inetrc (~tp); not "
                         "compared", [N, Why]),
                     not_compared;
                 {error, Why} ->
                     ct:fail({nodes_not_started, N, Why})
             end
         end || N <- lists:seq(1, ?RC_RANDOM)],
    Compared = [Ms || {compared, Ms} <- Outcomes],
    length(Compared) >= ?RC_RANDOM div 2 orelse
        ct:fail({too_few_configurations_compared, length(Compared)}),
    jinet_diff:report(ctx(rc_random, Config), lists:append(Compared)).

%% Options of every kind inet_db reads, with good and bad values.
random_rc() ->
    Ip4 = fun() -> list_to_tuple([rand:uniform(256) - 1 || _ <- "abcd"]) end,
    Ip6 = fun() -> list_to_tuple([rand:uniform(65536) - 1 || _ <- "abcdefgh"])
          end,
    Pick = fun(L) -> lists:nth(rand:uniform(length(L)), L) end,
    %% Name servers on loopback only, where nothing answers at once: a
    %% server out of reach would make BEAM's own start-up wait on it.
    Ip = fun() -> Pick([{127, rand:uniform(255), rand:uniform(255), 9},
                        {0, 0, 0, 0, 0, 0, 0, 1}, {256, 0, 0, 1}, {1, 2, 3},
                        "127.0.0.9"])
         end,
    Port = fun() -> Pick([53, 5353, 0, 65535, 65536, -1, x]) end,
    Str = fun() -> Pick(["example.com", "a.b.c", "", "has space", "x",
                         "UPPER.case", [1, 2], foo]) end,
    Gen = [fun() -> {lookup, [Pick([file, dns, native, yp, nis, nisplus, foo,
                                    "files", "bind", "hosts", "x", 1])
                              || _ <- lists:seq(1, rand:uniform(4))]} end,
           fun() -> {lookup, Pick([native, "dns", [file | dns]])} end,
           fun() -> {nameserver, Ip()} end,
           fun() -> {nameserver, Ip(), Port()} end,
           fun() -> {alt_nameserver, Ip()} end,
           fun() -> {alt_nameserver, Ip(), Port()} end,
           fun() -> {domain, Str()} end,
           fun() -> {search, [Str() || _ <- lists:seq(1, rand:uniform(3))]} end,
           fun() -> {search, Pick(["abc", [a | b], []])} end,
           fun() -> {Pick([timeout, retry, servfail_retry_timeout,
                           udp_payload_size, cache_size, cache_refresh,
                           socks5_port]),
                     Pick([-1, 0, 1, 511, 512, 1280, 2000, 5000, 99999999999,
                           x, "1"])} end,
           fun() -> {Pick([inet6, usevc]), Pick([true, false, yes, 1])} end,
           fun() -> {edns, Pick([0, false, 1, true])} end,
           fun() -> {host, Pick([{192, 0, 2, 77}, Ip4(), Ip6(), {1, 2}]),
                     Pick([["rnd-host"], ["rnd-host", "rnd-alias"],
                           ["RND-HOST"], [], "rnd-host", [rnd]])} end,
           %% Module options only where the BEAM peer still starts: another
           %% tcp or udp module would carry its own distribution traffic.
           fun() -> Pick([{sctp, Pick([inet_sctp, foo, "foo"])},
                          {tcp, Pick([inet_tcp, "foo"])},
                          {udp, Pick([inet_udp, 1])}]) end,
           fun() -> {socks5_server, Pick([Ip4(), Ip6(), "h"])} end,
           fun() -> {socks5_methods, [none]} end,
           fun() -> {socks5_noproxy, Ip4(), Pick([{255, 255, 0, 0}, x])} end,
           %% Not reset: it empties the host name and the lookup methods,
           %% after which the BEAM peer cannot finish starting.
           fun() -> Pick([clear_ns, clear_search, clear_hosts, clear_cache,
                          no_such_option, {no_such, 1},
                          {hosts_file, ""}, {hosts_file, "relative"},
                          {hosts_file, "/no/such/hosts"},
                          {resolv_conf, ""}, {resolv_conf, "/no/such/resolv"},
                          {file, hosts, "/no/such/file"}, {1, 2, 3}])
           end],
    [{resolv_conf, ""}, {hosts_file, ""}
     | [(Pick(Gen))() || _ <- lists:seq(1, 2 + rand:uniform(6))]].

%% The pair's nodes; the case fails (in the case itself, so that it counts
%% as failed, not skipped) when they could not be started.
pair_nodes(Config) ->
    case ?config(pair, Config) of
        #{beam := #{node := B}, jinet := #{node := J}} -> {B, J};
        {error, Why} -> ct:fail({nodes_not_started, Why})
    end.

call_of({expect, Call, _}) -> Call;
call_of({unordered, Call}) -> Call;
call_of(Call) -> Call.

expected(Fun, Answer) when is_function(Fun, 1) -> Fun(Answer) =:= true;
expected(Term, Answer) -> Term =:= Answer.

label(Config) ->
    atom_to_list(?config(group, Config)).

ctx(Case, Config) ->
    #{'case' => Case, seed => ?config(seed, Config),
      priv_dir => ?config(priv_dir, Config)}.

parallel(Funs) ->
    Started = [spawn_monitor(fun() -> exit({done, F()}) end) || F <- Funs],
    [receive
         {'DOWN', Mon, process, Pid, {done, V}} -> {ok, V};
         {'DOWN', Mon, process, Pid, Reason} -> {'EXIT', Reason}
     end || {Pid, Mon} <- Started].

host_part() ->
    [_, Host] = string:split(atom_to_list(node()), "@"),
    Host.

say(Format, Args) ->
    jinet_diff:log(Format, Args),
    io:format(user, Format ++ "~n", Args).

%%--------------------------------------------------------------------
%% The keeper: a process that outlives init_per_suite and holds the DNS
%% servers' ports and the dead nameserver's socket
%%--------------------------------------------------------------------

start_keeper(Priv, Unbound) ->
    Parent = self(),
    Ref = make_ref(),
    {Pid, Mon} = spawn_monitor(fun() -> keeper_init(Parent, Ref, Priv,
                                                    Unbound) end),
    receive
        {Ref, {ok, Fx}} ->
            erlang:demonitor(Mon, [flush]),
            {ok, Fx#{keeper => Pid}};
        {Ref, Error} ->
            erlang:demonitor(Mon, [flush]),
            Error;
        {'DOWN', Mon, process, Pid, Reason} ->
            {error, {keeper_died, Reason}}
    after 60000 ->
            exit(Pid, kill),
            {error, keeper_timeout}
    end.

stop_keeper(Pid) ->
    Ref = erlang:monitor(process, Pid),
    Pid ! {stop, self()},
    receive
        {'DOWN', Ref, process, Pid, _} -> ok
    after 20000 ->
            exit(Pid, kill),
            ok
    end.

keeper_init(Parent, Ref, Priv, Unbound) ->
    process_flag(trap_exit, true),
    {ok, DeadSock} = gen_udp:open(0, [binary, {ip, ?LOCAL}, {active, false}]),
    {ok, DeadPort} = inet:port(DeadSock),
    NS53 = probe_ns53(),
    Port = free_port(),
    AltPort = free_port(),
    MainDir = filename:join(Priv, "unbound_main"),
    AltDir = filename:join(Priv, "unbound_alt"),
    Main = start_unbound(Unbound, MainDir,
                         [{?LOCAL, Port}] ++ [{?NS53, 53} || NS53 =:= ok],
                         main_zones()),
    Alt = start_unbound(Unbound, AltDir, [{?LOCAL, AltPort}], alt_zones()),
    Servers = [S || {ok, S} <- [Main, Alt]],
    Checks = [{main, wait_dns({?LOCAL, Port}, "one.jinet.test")},
              {alt, wait_dns({?LOCAL, AltPort}, "onlyalt.jinet.test")}] ++
        [{ns53, wait_dns({?NS53, 53}, "one.jinet.test")} || NS53 =:= ok],
    case {Main, Alt, [C || {_, R} = C <- Checks, R =/= ok]} of
        {{ok, _}, {ok, _}, []} ->
            case fixture_check(Port) of
                [] ->
                    Parent ! {Ref, {ok, #{port => Port, alt_port => AltPort,
                                          dead_port => DeadPort,
                                          ns53 => case NS53 of
                                                      ok -> ok;
                                                      {no, _} -> NS53
                                                  end}}},
                    keeper_loop(DeadSock, Servers);
                Bad ->
                    Parent ! {Ref, {error, {dns_fixture_not_as_written, Bad,
                                            logs(Servers)}}},
                    stop_servers(Servers)
            end;
        {_, _, Failed} ->
            Parent ! {Ref, {error, {dns_server, Main, Alt, Failed,
                                    logs(Servers)}}},
            stop_servers(Servers)
    end.

keeper_loop(DeadSock, Servers) ->
    receive
        {stop, _From} ->
            stop_servers(Servers),
            gen_udp:close(DeadSock);
        _ ->
            keeper_loop(DeadSock, Servers)
    end.

logs(Servers) ->
    [{Log, jinet_diff:tail(Log)} || #{log := Log} <- Servers].

%% 127.0.53.1:53 (UDP and TCP) can be bound here: ok | {no, Reason}.
probe_ns53() ->
    case gen_udp:open(53, [{ip, ?NS53}]) of
        {ok, U} ->
            gen_udp:close(U),
            case gen_tcp:listen(53, [{ip, ?NS53}, {reuseaddr, true}]) of
                {ok, T} ->
                    gen_tcp:close(T),
                    ok;
                {error, Why} ->
                    {no, reason("cannot listen on TCP 127.0.53.1:53 (~p), "
                                "which glibc needs", [Why])}
            end;
        {error, Why} ->
            {no, reason("cannot bind UDP 127.0.53.1:53 (~p), which glibc "
                        "needs", [Why])}
    end.

%% A port free for both UDP and TCP on 127.0.0.1.
free_port() ->
    {ok, U} = gen_udp:open(0, [{ip, ?LOCAL}]),
    {ok, P} = inet:port(U),
    case gen_tcp:listen(P, [{ip, ?LOCAL}]) of
        {ok, T} ->
            gen_tcp:close(T),
            gen_udp:close(U),
            P;
        {error, _} ->
            R = free_port(),
            gen_udp:close(U),
            R
    end.

%% Can this node run a command in a mount namespace of its own with files
%% bind-mounted over /etc's? ok | {no, Reason}.
mountns_check(Priv) ->
    Dir = filename:join(Priv, "mountns_check"),
    F = filename:join(Dir, "resolv.conf"),
    ok = filelib:ensure_dir(F),
    Marker = "# inet_resolver_SUITE mount check",
    ok = file:write_file(F, Marker ++ "\n"),
    case os:find_executable("unshare") of
        false ->
            {no, "unshare(1) not found (util-linux)"};
        _ ->
            [Cmd | Args] = ns_wrap([{F, "/etc/resolv.conf"}]),
            Line = string:join([Cmd | [sq(A) || A <- Args]] ++
                                   ["cat", "/etc/resolv.conf"], " "),
            Out = os:cmd(Line ++ " 2>&1"),
            case string:find(Out, Marker) of
                nomatch ->
                    {no, reason("cannot bind-mount files over /etc in a "
                                "mount namespace (unshare -m): ~ts",
                                [string:trim(Out)])};
                _ ->
                    ok
            end
    end.

reason(Format, Args) ->
    lists:flatten(io_lib:format(Format, Args)).

%% The fixture answers as written: checked with inet_res here.
fixture_check(Port) ->
    O = [{nameservers, [{?LOCAL, Port}]}, {timeout, 1000}, {retry, 1}],
    Checks =
        [{"one.jinet.test", a,
          fun({ok, M}) -> answers(M, a) =:= [{192, 0, 2, 1}]; (_) -> false end},
         {"hop3.jinet.test", a,
          fun({ok, M}) -> answers(M, a) =:= [{192, 0, 2, 21}, {192, 0, 2, 22}];
             (_) -> false end},
         {"big.jinet.test", a,
          fun({ok, M}) -> length(answers(M, a)) =:= 60; (_) -> false end},
         {"x.broken.test", a,
          fun({error, {servfail, _}}) -> true; (_) -> false end},
         {"nx.jinet.test", a,
          fun({error, nxdomain}) -> true; (_) -> false end},
         {"www.example.org", a,
          fun({error, {refused, _}}) -> true; (_) -> false end},
         {"1.2.0.192.in-addr.arpa", ptr,
          fun({ok, M}) -> answers(M, ptr) =:= ["one.jinet.test"];
             (_) -> false end},
         {"1.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2."
          "ip6.arpa", ptr,
          fun({ok, M}) -> answers(M, ptr) =:= ["six.jinet.test"];
             (_) -> false end}],
    Bad = [{Name, Type, R} || {Name, Type, Pred} <- Checks,
                              R <- [inet_res:resolve(Name, in, Type, O)],
                              not Pred(R)],
    %% Over UDP without EDNS, "big" does not fit: the answer is truncated.
    Tc = case udp_tc(Port, "big.jinet.test") of
             true -> [];
             Other -> [{"big.jinet.test", udp_tc, Other}]
         end,
    Bad ++ Tc.

answers(Msg, Type) ->
    [inet_dns:rr(RR, data) || RR <- inet_dns:msg(Msg, anlist),
                              inet_dns:rr(RR, type) =:= Type].

udp_tc(Port, Name) ->
    H = inet_dns:make_header([{id, 4711}, {rd, true}]),
    Q = inet_dns:make_msg([{header, H},
                           {qdlist, [inet_dns:make_dns_query(
                                       [{domain, Name}, {type, a},
                                        {class, in}])]}]),
    {ok, S} = gen_udp:open(0, [binary, {active, false}, {ip, ?LOCAL}]),
    try
        ok = gen_udp:send(S, ?LOCAL, Port, inet_dns:encode(Q)),
        case gen_udp:recv(S, 0, 2000) of
            {ok, {_, _, Bin}} ->
                {ok, M} = inet_dns:decode(Bin),
                inet_dns:header(inet_dns:msg(M, header), tc);
            Error ->
                Error
        end
    after
        gen_udp:close(S)
    end.

wait_dns(NS, Name) ->
    Deadline = erlang:monotonic_time(millisecond) + 15000,
    wait_dns(NS, Name, Deadline).

wait_dns(NS, Name, Deadline) ->
    case inet_res:resolve(Name, in, a, [{nameservers, [NS]}, {timeout, 300},
                                        {retry, 1}]) of
        {ok, _} -> ok;
        Error ->
            case erlang:monotonic_time(millisecond) > Deadline of
                true -> {not_answering, NS, Error};
                false -> timer:sleep(100), wait_dns(NS, Name, Deadline)
            end
    end.

%%--------------------------------------------------------------------
%% unbound
%%--------------------------------------------------------------------

%% Zones: [{Name, Lines}] ([] for a zone that answers SERVFAIL).
start_unbound(Unbound, Dir, Listen, Zones) ->
    ok = filelib:ensure_dir(filename:join(Dir, "x")),
    ZoneFiles = [{Z, filename:join(Dir, Z ++ "zone")} || {Z, _} <- Zones],
    [ok = file:write_file(F, zone_text(Lines))
     || {{_, F}, {_, Lines}} <- lists:zip(ZoneFiles, Zones)],
    Conf = filename:join(Dir, "unbound.conf"),
    ok = file:write_file(Conf, unbound_conf(Dir, Listen, ZoneFiles)),
    Log = filename:join(Dir, "unbound.log"),
    Port = open_port({spawn_executable, "/bin/sh"},
                     [{args, ["-c", jinet_diff:wrapper_script(all), "unbound", Log,
                              Unbound, "-d", "-c", Conf]},
                      exit_status, use_stdio, hide]),
    {os_pid, OsPid} = erlang:port_info(Port, os_pid),
    receive
        {Port, {exit_status, St}} ->
            {error, {unbound_exited, St, jinet_diff:tail(Log)}}
    after 200 ->
            {ok, #{port => Port, os_pid => OsPid, log => Log}}
    end.

stop_servers(Servers) ->
    [begin
         _ = os:cmd("kill -TERM " ++ integer_to_list(OsPid) ++ " 2>/dev/null"),
         receive
             {Port, {exit_status, _}} -> ok
         after 5000 ->
                 _ = os:cmd("kill -KILL -- -" ++ integer_to_list(OsPid) ++
                                " 2>/dev/null")
         end,
         catch port_close(Port)
     end || #{port := Port, os_pid := OsPid} <- Servers],
    ok.

unbound_conf(Dir, Listen, ZoneFiles) ->
    ["# written by inet_resolver_SUITE\n",
     "server:\n",
     [io_lib:format("  interface: ~s@~b~n", [inet:ntoa(IP), P])
      || {IP, P} <- Listen],
     "  do-ip4: yes\n  do-ip6: no\n  do-udp: yes\n  do-tcp: yes\n",
     "  do-daemonize: no\n  use-syslog: no\n  logfile: \"\"\n",
     "  chroot: \"\"\n  username: \"\"\n",
     "  directory: \"", Dir, "\"\n",
     "  pidfile: \"", filename:join(Dir, "unbound.pid"), "\"\n",
     "  verbosity: 1\n  num-threads: 1\n",
     "  access-control: 127.0.0.0/8 allow\n",
     "  module-config: \"iterator\"\n",
     %% Answers in zone-file order, every time.
     "  rrset-roundrobin: no\n",
     "  minimal-responses: yes\n",
     %% Nothing is ever asked of another server: every name outside the
     %% zones below is refused, and no address may be queried.
     "  local-zone: \".\" refuse\n",
     "  do-not-query-address: 0.0.0.0/0\n",
     "  do-not-query-address: ::/0\n",
     [["  local-zone: \"", Z, "\" transparent\n"] || {Z, _} <- ZoneFiles],
     [["auth-zone:\n  name: \"", Z, "\"\n  zonefile: \"", F, "\"\n",
       "  for-downstream: yes\n  for-upstream: no\n",
       "  fallback-enabled: no\n"] || {Z, F} <- ZoneFiles],
     "remote-control:\n  control-enable: no\n"].

zone_text([]) ->
    "";
zone_text(Lines) ->
    [[L, $\n] || L <- Lines].

soa() ->
    ["$TTL 300",
     "@ IN SOA ns.jinet.test. hostmaster.jinet.test. 1 3600 600 86400 300",
     "@ IN NS ns.jinet.test."].

main_zones() ->
    [{"jinet.test.", jinet_zone()},
     {"other.test.", soa() ++ ["t IN A 203.0.113.5",
                               "t IN AAAA 2001:db8::5"]},
     {"2.0.192.in-addr.arpa.", soa() ++ ptr4_zone()},
     {"8.b.d.0.1.0.0.2.ip6.arpa.", soa() ++ ptr6_zone()},
     {"broken.test.", []},
     {"113.0.203.in-addr.arpa.", []}].

alt_zones() ->
    [{"jinet.test.", soa() ++ ["ns IN A 127.0.0.1",
                               "onlyalt IN A 192.0.2.220",
                               "txtonly IN A 192.0.2.221",
                               "one IN A 192.0.2.222"]},
     {"2.0.192.in-addr.arpa.", soa() ++ ["220 IN PTR onlyalt.jinet.test."]}].

jinet_zone() ->
    soa() ++
        ["ns IN A 127.0.0.1",
         "one IN A 192.0.2.1"] ++
        ["multi IN A 192.0.2." ++ integer_to_list(I) || I <- [11, 12, 13, 14]] ++
        ["six IN AAAA 2001:db8::1"] ++
        ["sixmulti IN AAAA 2001:db8::" ++ integer_to_list(I, 16)
         || I <- [16#11, 16#12, 16#13, 16#14]] ++
        ["both IN A 192.0.2.21", "both IN A 192.0.2.22",
         "both IN AAAA 2001:db8::21", "both IN AAAA 2001:db8::22",
         "alias1 IN CNAME both",
         "hop3 IN CNAME hop2", "hop2 IN CNAME hop1", "hop1 IN CNAME both",
         "cmulti IN CNAME multi", "c6 IN CNAME six",
         "dangling IN CNAME nowhere.jinet.test.",
         "cross IN CNAME t.other.test.",
         "loop1 IN CNAME loop2", "loop2 IN CNAME loop1",
         "MiXeD IN A 192.0.2.31", "MiXeD IN AAAA 2001:db8::31",
         "txtonly IN TXT \"no address here\"",
         "zero 0 IN A 192.0.2.40",
         "host.sub IN A 192.0.2.50", "host.sub IN AAAA 2001:db8::50",
         "host IN A 192.0.2.51",
         "onlysub.sub IN A 192.0.2.52",
         "*.wild IN A 192.0.2.60"] ++
        %% 60 * 16 bytes: more than 512, less than 1232.
        ["big IN A 198.51.100." ++ integer_to_list(I) || I <- lists:seq(1, 60)] ++
        %% More than 1232 bytes.
        ["huge IN A 203.0.113." ++ integer_to_list(I)
         || I <- lists:seq(1, 100)] ++
        ["bigsix IN AAAA 2001:db8:1::" ++ integer_to_list(I, 16)
         || I <- lists:seq(1, 36)].

ptr4_zone() ->
    ["1 IN PTR one.jinet.test.",
     "11 IN PTR multi.jinet.test.",
     "11 IN PTR cmulti.jinet.test.",
     "21 IN PTR both.jinet.test.",
     "31 IN PTR MiXeD.jinet.test.",
     "50 IN PTR host.sub.jinet.test.",
     "51 IN PTR host.jinet.test.",
     "70 IN CNAME 70.64-127.2.0.192.in-addr.arpa.",
     "70.64-127 IN PTR classless.jinet.test."].

ptr6_zone() ->
    [ptr6({16#2001, 16#db8, 0, 0, 0, 0, 0, 1}, "six.jinet.test."),
     ptr6({16#2001, 16#db8, 0, 0, 0, 0, 0, 16#11}, "six.jinet.test."),
     ptr6({16#2001, 16#db8, 0, 0, 0, 0, 0, 16#21}, "both.jinet.test."),
     ptr6({16#2001, 16#db8, 0, 0, 0, 0, 0, 16#21}, "alias1.jinet.test."),
     ptr6({16#2001, 16#db8, 0, 0, 0, 0, 0, 16#31}, "MiXeD.jinet.test."),
     ptr6({16#2001, 16#db8, 0, 0, 0, 0, 0, 16#50}, "host.sub.jinet.test.")].

%% The owner name relative to 8.b.d.0.1.0.0.2.ip6.arpa.
ptr6(IP, Target) ->
    Hex = lists:flatten([io_lib:format("~4.16.0b", [W])
                         || W <- tuple_to_list(IP)]),
    Nibbles = lists:sublist(lists:reverse(Hex), 24),
    lists:join(".", [[C] || C <- Nibbles]) ++ " IN PTR " ++ Target.
