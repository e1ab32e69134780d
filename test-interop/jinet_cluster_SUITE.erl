%% The cluster as separate hosts: jinet at 10.77.0.1 in a network namespace of
%% its own, beside BEAM nodes at 10.77.0.2 (a) and 10.77.0.3 (b) in theirs,
%% each namespace with its own EPMD, all on one bridge. Every scenario runs
%% twice, first with a BEAM node at 10.77.0.1 (the oracle), then with jinet
%% there, and the two outcomes are compared after labelling (pids, refs and
%% node names replaced by what they stand for, error stacks by '$stack').
%%
%% Topology, made in init_per_suite and removed in end_per_suite whatever
%% happened (Id is the CT node's OS pid, so names are unique per run):
%%
%%   jn_j_Id  eth0 10.77.0.1/24 --+
%%   jn_a_Id  eth0 10.77.0.2/24 --+-- br0 in jn_br_Id (veth pairs pj, pa, pb)
%%   jn_b_Id  eth0 10.77.0.3/24 --+
%%
%% Nodes, all with long names by IP, one cookie, -kernel net_ticktime 4:
%%   a@10.77.0.2, b@10.77.0.3  BEAM, `epmd -daemon` in their namespaces
%%   j@10.77.0.1               bin/jinet -epmd embedded (jinet's own EPMD), or
%%                             erl -hidden with `epmd -daemon` in jn_j for the
%%                             oracle run: jinet is a hidden node by design
%%                             (like a C node), so the BEAM node in its role
%%                             is hidden too, else nodes() and monitor_nodes
%%                             would differ by design, not by a bug
%%   w@127.0.0.1               BEAM, hidden, in jn_j beside j (link_cut only):
%%                             receives what j reports while j's veth is down
%%                             (over jn_j's own addresses, which stay up), and
%%                             holds the silent name server on 127.0.0.1:53
%%   j is started fresh for each scenario and each run, with the same
%%   inetrc ({lookup,[dns]}, {timeout,4000}) and ERL_INET_ETC_DIR (resolv.conf
%%   naming 127.0.0.1) for both kinds.
%%
%% Driving: the CT node stays outside the namespaces and is not connected to
%% any of these nodes. The BEAM nodes are peers (peer:start/1) run through
%% `ip netns exec` with connection standard_io: peer:call/5 reaches them
%% over their stdin/stdout, so the control path does not depend on the links
%% the scenarios cut. This module is loaded on a, b and w, and its exported
%% helpers run there; every call into j goes over distribution from a, b or
%% w. On the BEAM j, jinet_cluster_SUITE_data/jinet_node.erl provides
%% jinet_node:idle/1 and watch/2, so both runs make the same calls.
%%
%% Cases:
%%   rpc_monitors_links  rpc/erpc from a and b into j; monitors from a on j's
%%                       processes (by pid and name, noproc, demonitor);
%%                       links both ways (exit reasons, normal, unlink,
%%                       exit/2, kill)
%%   ping                j pings b, never connected before; a sees j's EPMD;
%%                       b disconnects and pings j; nodeup/nodedown on b
%%   link_cut            while two long calls run from a on j (gethostbyname
%%                       against a name server that never answers), with a
%%                       link and a monitor from a on a process of j and
%%                       jinet_node:watch/2 on j of a's process: j's veth goes
%%                       down; both sides see the other go down within the
%%                       tick time (jinet within BEAM's time x 1.25 + 1 s); the
%%                       link comes back and a new call works
%% The cases are skipped (saying why) only when network namespaces cannot be
%% made here (not root, no ip(8), a chroot without /proc/self/ns, ...).
-module(jinet_cluster_SUITE).

-include_lib("common_test/include/ct.hrl").

-export([suite/0, all/0, init_per_suite/1, end_per_suite/1]).
-export([rpc_monitors_links/1, ping/1, link_cut/1]).
%% Run on the cluster's BEAM nodes
-export([in_proc/3, rpc_calls/1, monitors/1, links/1, node_events_start/0,
         fetch/1, stop_proc/1, epmd_names/1, disconnect/1,
         silent_dns/0, collector_start/0, watch_targets/3, cut_prepare/1,
         after_up/3]).

-define(TICK, 4).
-define(PEER_T, 30000).
-define(QUIET, 300).
-define(A, 'a@10.77.0.2').
-define(B, 'b@10.77.0.3').
-define(J, 'j@10.77.0.1').
-define(W, 'w@127.0.0.1').

suite() ->
    [{timetrap, {minutes, 2}}].

all() ->
    [rpc_monitors_links, ping, link_cut].

%%--------------------------------------------------------------------
%% Setup
%%--------------------------------------------------------------------

init_per_suite(Config) ->
    T0 = erlang:monotonic_time(millisecond),
    Id = os:getpid(),
    Ns = maps:from_list([{K, "jn_" ++ atom_to_list(K) ++ "_" ++ Id}
                         || K <- [br, j, a, b]]),
    case netns_check() of
        {no, Why} ->
            say("jinet_cluster_SUITE: skipped: ~ts", [Why]),
            {skip, Why};
        ok ->
            remove_stale_namespaces(),
            case make_topology(Ns) of
                ok ->
                    try
                        setup(Config, Ns, T0)
                    catch
                        C:R:St ->
                            delete_topology(Ns),
                            {fail, {setup, C, R, St}}
                    end;
                {error, Failed} ->
                    delete_topology(Ns),
                    {fail, {topology, Failed}}
            end
    end.

setup(Config, Ns, T0) ->
    Priv = ?config(priv_dir, Config),
    Etc = filename:join(Priv, "etc"),
    ok = filelib:ensure_dir(filename:join(Etc, "x")),
    ok = file:write_file(filename:join(Etc, "resolv.conf"),
                         "nameserver 127.0.0.1\n"),
    ok = file:write_file(filename:join(Etc, "hosts"), "127.0.0.1 localhost\n"),
    Inetrc = filename:join(Priv, "inetrc"),
    ok = file:write_file(Inetrc, "{lookup, [dns]}.\n{timeout, 4000}.\n"),
    Cookie = "jc" ++ os:getpid() ++ "x" ++
        integer_to_list(erlang:unique_integer([positive])),
    Src = filename:join(?config(data_dir, Config), "jinet_node.erl"),
    {ok, jinet_node, NodeBin} = compile:file(Src, [binary, report]),
    {?MODULE, SuiteBin, SuiteFile} = code:get_object_code(?MODULE),
    Cfg0 = [{ns, Ns}, {etc, Etc}, {inetrc, Inetrc}, {cookie, Cookie},
            {jinet_node_bin, NodeBin}, {suite_bin, {SuiteBin, SuiteFile}},
            {root, jinet_diff:root(Config)}, {t0, T0} | Config],
    [{0, _}, {0, _}] = [sh(netns_exec(maps:get(K, Ns)) ++ " epmd -daemon")
                        || K <- [a, b]],
    [RA, RB] = jinet_diff_parallel(
                 [fun() -> start_peer("a", "10.77.0.2", maps:get(a, Ns), [],
                                      Cfg0) end,
                  fun() -> start_peer("b", "10.77.0.3", maps:get(b, Ns), [],
                                      Cfg0) end]),
    case {RA, RB} of
        {{ok, PA}, {ok, PB}} ->
            ok = jinet_diff:stats_restart(),
            say("jinet_cluster_SUITE: namespaces ~tp; a and b up in ~b ms",
                [maps:values(Ns), erlang:monotonic_time(millisecond) - T0]),
            [{apeer, PA}, {bpeer, PB} | Cfg0];
        _ ->
            [catch peer:stop(P) || {ok, P} <- [RA, RB]],
            error({peers_not_started, RA, RB})
    end.

end_per_suite(Config) ->
    [catch peer:stop(?config(K, Config)) || K <- [apeer, bpeer]],
    delete_topology(?config(ns, Config)),
    Table = jinet_diff:format_summary(jinet_diff:summary(), 40),
    say("~njinet_cluster_SUITE summary (~b ms):~n~ts",
        [erlang:monotonic_time(millisecond) - ?config(t0, Config), Table]),
    jinet_diff:stats_stop_sync(),
    ok.

%% Can this node make a network namespace? ok | {no, Reason}.
netns_check() ->
    Probe = "jn_probe_" ++ os:getpid(),
    case os:find_executable("ip") of
        false ->
            {no, "ip(8) not found (iproute2)"};
        _ ->
            case sh("ip netns add " ++ Probe) of
                {0, _} ->
                    %% ip netns exec needs a mount namespace of its own (it
                    %% remounts /sys), which fails e.g. in a chroot whose / is
                    %% not a mount point.
                    Exec = sh(netns_exec(Probe) ++ " true"),
                    _ = sh("ip netns del " ++ Probe),
                    case Exec of
                        {0, _} ->
                            ok;
                        {Rc, Out} ->
                            {no, lists:flatten(
                                   io_lib:format("cannot run a program in a "
                                                 "network namespace (ip netns "
                                                 "exec: exit ~b: ~ts)",
                                                 [Rc, string:trim(Out)]))}
                    end;
                {Rc, Out} ->
                    {no, lists:flatten(
                           io_lib:format("cannot create a network namespace "
                                         "(ip netns add: exit ~b: ~ts)",
                                         [Rc, string:trim(Out)]))}
            end
    end.

make_topology(Ns = #{br := Br}) ->
    In = fun(K) -> "ip -n " ++ maps:get(K, Ns) ++ " " end,
    Hosts = [{j, "10.77.0.1"}, {a, "10.77.0.2"}, {b, "10.77.0.3"}],
    Steps =
        ["ip netns add " ++ maps:get(K, Ns) || K <- [br, j, a, b]] ++
        [In(K) ++ "link set lo up" || K <- [br, j, a, b]] ++
        [In(br) ++ "link add br0 type bridge",
         In(br) ++ "link set br0 up"] ++
        lists:append(
          [["ip link add eth0 netns " ++ maps:get(K, Ns) ++
                " type veth peer name p" ++ atom_to_list(K) ++ " netns " ++ Br,
            In(br) ++ "link set p" ++ atom_to_list(K) ++ " master br0",
            In(br) ++ "link set p" ++ atom_to_list(K) ++ " up",
            In(K) ++ "addr add " ++ Ip ++ "/24 dev eth0",
            In(K) ++ "link set eth0 up"] || {K, Ip} <- Hosts]),
    run_steps(Steps).

run_steps([]) ->
    ok;
run_steps([S | Rest]) ->
    case sh(S) of
        {0, _} -> run_steps(Rest);
        {Rc, Out} -> {error, {S, Rc, Out}}
    end.

%% Every process left in our namespaces (nodes, EPMDs) is ended, by pid,
%% then the namespaces go (and the veths and the bridge with them).
delete_topology(Ns) ->
    [kill_ns_pids(N) || N <- maps:values(Ns)],
    [sh("ip netns del " ++ N) || N <- maps:values(Ns)],
    ok.

%% Namespaces of earlier runs of this suite whose CT node is gone.
remove_stale_namespaces() ->
    {0, Out} = sh("ip netns list"),
    Stale = [N || L <- string:split(Out, "\n", all),
                  [N | _] <- [string:lexemes(L, " ")],
                  {match, [Pid]} <- [re:run(N, "^jn_(?:br|j|a|b|probe)_([0-9]+)$",
                                            [{capture, all_but_first, list}])],
                  not filelib:is_dir("/proc/" ++ Pid)],
    [begin kill_ns_pids(N), sh("ip netns del " ++ N) end || N <- Stale],
    ok.

kill_ns_pids(Ns) ->
    Pids = ns_pids(Ns),
    [sh("kill -TERM " ++ P) || P <- Pids],
    wait_ns_empty(Ns, 50).

wait_ns_empty(Ns, 0) ->
    [sh("kill -KILL " ++ P) || P <- ns_pids(Ns)],
    ok;
wait_ns_empty(Ns, N) ->
    case ns_pids(Ns) of
        [] -> ok;
        _ -> timer:sleep(100), wait_ns_empty(Ns, N - 1)
    end.

ns_pids(Ns) ->
    case sh("ip netns pids " ++ Ns) of
        {0, Out} -> string:lexemes(Out, "\n ");
        _ -> []
    end.

netns_exec(Ns) ->
    "ip netns exec " ++ Ns.

%% A BEAM peer in namespace Ns, controlled over its stdin/stdout, with this
%% module loaded.
start_peer(Name, Host, Ns, Extra, Config) ->
    Opts = #{name => Name, host => Host, longnames => true,
             connection => standard_io,
             exec => {os:find_executable("ip"),
                      ["netns", "exec", Ns, os:find_executable("erl")]},
             args => ["-setcookie", ?config(cookie, Config),
                      "-kernel", "net_ticktime", integer_to_list(?TICK)
                      | Extra],
             env => [{"ERL_INET_ETC_DIR", ?config(etc, Config)}],
             wait_boot => 60000},
    case peer:start(Opts) of
        {ok, Peer} -> load_suite(Peer, Config);
        {ok, Peer, _Node} -> load_suite(Peer, Config);
        Error -> Error
    end.

load_suite(Peer, Config) ->
    {Bin, File} = ?config(suite_bin, Config),
    {module, ?MODULE} = peer:call(Peer, code, load_binary,
                                  [?MODULE, File, Bin], ?PEER_T),
    {ok, Peer}.

%% Node j (and w when asked) in jn_j, of the given kind.
start_dot1(Kind, WithW, Config) ->
    NsJ = maps:get(j, ?config(ns, Config)),
    kill_ns_pids(NsJ),
    J = case Kind of
            beam -> start_beam_j(NsJ, Config);
            jinet -> start_jinet_j(NsJ, Config)
        end,
    W = case WithW of
            true ->
                {ok, WP} = start_peer("w", "127.0.0.1", NsJ, ["-hidden"],
                                      Config),
                ok = peer:call(WP, ?MODULE, silent_dns, [], ?PEER_T),
                WP;
            false ->
                undefined
        end,
    #{kind => Kind, j => J, w => W, ns => NsJ}.

start_beam_j(NsJ, Config) ->
    {0, _} = sh(netns_exec(NsJ) ++ " epmd -daemon"),
    {ok, P} = start_peer("j", "10.77.0.1", NsJ,
                         ["-hidden", "-kernel", "inetrc",
                          "\"" ++ ?config(inetrc, Config) ++ "\""], Config),
    {module, jinet_node} =
        peer:call(P, code, load_binary,
                  [jinet_node, "jinet_node.erl", ?config(jinet_node_bin, Config)],
                  ?PEER_T),
    {beam, P}.

start_jinet_j(NsJ, Config) ->
    Root = ?config(root, Config),
    Exe = filename:join([filename:absname(Root), "bin", "jinet"]),
    Priv = ?config(priv_dir, Config),
    Log = filename:join(Priv, "jinet_" ++
                            integer_to_list(erlang:unique_integer([positive]))
                        ++ ".log"),
    Port = open_port({spawn_executable, "/bin/sh"},
                     [{args, ["-c", jinet_diff:wrapper_script(stderr),
                              "jinet_cluster", Log,
                              os:find_executable("ip"), "netns", "exec", NsJ,
                              Exe, "-name", atom_to_list(?J),
                              "-setcookie", ?config(cookie, Config),
                              "-kernel", "net_ticktime", integer_to_list(?TICK),
                              "-kernel", "inetrc",
                              "\"" ++ ?config(inetrc, Config) ++ "\"",
                              "-epmd", "embedded"]},
                      {env, [{"ERL_INET_ETC_DIR", ?config(etc, Config)}]},
                      {cd, filename:absname(Root)},
                      exit_status, {line, 4096}, use_stdio, hide]),
    {os_pid, OsPid} = erlang:port_info(Port, os_pid),
    case wait_ready(Port, erlang:monotonic_time(millisecond) + 120000) of
        ok ->
            {jinet, Port, OsPid, Log};
        {error, Why} ->
            _ = sh("kill -TERM " ++ integer_to_list(OsPid)),
            ct:fail({jinet_not_ready, Why, jinet_diff:tail(Log)})
    end.

wait_ready(Port, Deadline) ->
    Left = max(0, Deadline - erlang:monotonic_time(millisecond)),
    receive
        {Port, {data, {eol, Line}}} ->
            case string:find(Line, "ready") of
                nomatch -> wait_ready(Port, Deadline);
                _ -> ok
            end;
        {Port, {data, {noeol, _}}} ->
            wait_ready(Port, Deadline);
        {Port, {exit_status, St}} ->
            {error, {exited, St}}
    after Left ->
            {error, timeout}
    end.

stop_dot1(#{j := J, w := W, ns := NsJ}) ->
    [catch peer:stop(W) || W =/= undefined],
    case J of
        {beam, P} ->
            catch peer:stop(P);
        {jinet, Port, OsPid, Log} ->
            _ = sh("kill -TERM " ++ integer_to_list(OsPid)),
            St = wait_exit(Port, 20000),
            catch port_close(Port),
            jinet_diff:log("jinet stopped: ~p; log ~ts", [St, Log])
    end,
    kill_ns_pids(NsJ).

wait_exit(Port, Timeout) ->
    receive
        {Port, {exit_status, St}} -> {exit_status, St};
        {Port, {data, _}} -> wait_exit(Port, Timeout)
    after Timeout -> timeout
    end.

%% Scenario(Kind, Dot1) with j of each kind, the oracle first:
%% #{beam => Outcome, jinet => Outcome}.
both(Config, WithW, Scenario) ->
    maps:from_list(
      [begin
           T = erlang:monotonic_time(millisecond),
           Dot1 = start_dot1(Kind, WithW, Config),
           try
               {Kind, Scenario(Kind, Dot1)}
           after
               stop_dot1(Dot1),
               jinet_diff:log("~p run: ~b ms",
                              [Kind, erlang:monotonic_time(millisecond) - T])
           end
       end || Kind <- [beam, jinet]]).

%%--------------------------------------------------------------------
%% Cases
%%--------------------------------------------------------------------

rpc_monitors_links(Config) ->
    PA = ?config(apeer, Config),
    PB = ?config(bpeer, Config),
    R = both(Config, false,
             fun(_, _) ->
                     [{{a, K}, V} || {K, V} <- on(PA, rpc_calls, [?J])] ++
                         [{{b, K}, V} || {K, V} <- on(PB, rpc_calls, [?J])] ++
                         [{{a, monitors, K}, V} || {K, V} <- on(PA, monitors, [?J])] ++
                         [{{a, links, K}, V} || {K, V} <- on(PA, links, [?J])]
             end),
    verdict(rpc_monitors_links, Config, R, []).

ping(Config) ->
    PA = ?config(apeer, Config),
    PB = ?config(bpeer, Config),
    R = both(Config, false,
             fun(_, _) ->
                     Events = on(PB, node_events_start, []),
                     Before = lists:member(?J, on(PB, erlang, nodes, [connected])),
                     JPingsB = on(PA, rpc, call, [?J, net_adm, ping, [?B]]),
                     BSees = {lists:member(?J, on(PB, erlang, nodes, [hidden])),
                              lists:member(?J, on(PB, erlang, nodes, []))},
                     Again = on(PA, rpc, call, [?J, net_adm, ping, [?B]]),
                     Nobody = on(PA, rpc, call, [?J, net_adm, ping,
                                                 ['nobody@10.77.0.3']]),
                     ANobody = on(PA, net_adm, ping, ['nobody@10.77.0.1']),
                     Names = on(PA, ?MODULE, epmd_names, ["10.77.0.1"]),
                     Disc = on(PB, disconnect, [?J]),
                     BPingsJ = on(PB, net_adm, ping, [?J]),
                     BCall = on(PB, rpc, call, [?J, inet, parse_address,
                                                ["10.77.0.3"]]),
                     JPingsA = on(PA, rpc, call, [?J, net_adm, ping, [?A]]),
                     timer:sleep(?QUIET),
                     Seen = on(PB, fetch, [Events]),
                     on(PB, stop_proc, [Events]),
                     L = labels(#{}),
                     [{"b connected to j before", Before},
                      {"j pings b (never connected)", JPingsB},
                      {"b's nodes(hidden), nodes() hold j", BSees},
                      {"j pings b again", Again},
                      {"j pings nobody@10.77.0.3", Nobody},
                      {"a pings nobody@10.77.0.1 (j's EPMD)", ANobody},
                      {"net_adm:names(\"10.77.0.1\") from a", Names},
                      {"b disconnects from j", Disc},
                      {"b pings j", BPingsJ},
                      {"rpc from b after its ping", BCall},
                      {"j pings a", JPingsA},
                      {"nodeup/nodedown on b, in order",
                       label([M || {_, M} <- Seen], L)}]
             end),
    verdict(ping, Config, R, []).

link_cut(Config) ->
    PA = ?config(apeer, Config),
    R = both(Config, true,
             fun(_, #{w := PW, ns := NsJ}) ->
                     Collector = on(PW, collector_start, []),
                     {AProc, Idle} = on(PA, cut_prepare, [?J]),
                     Watches = on(PW, watch_targets, [?J, [AProc, Idle],
                                                      Collector]),
                     L = labels(#{AProc => a_proc, Idle => idle}),
                     timer:sleep(500),
                     T0 = os:system_time(millisecond),
                     {0, _} = sh("ip -n " ++ NsJ ++ " link set eth0 down"),
                     Deadline = T0 + 20000,
                     Since = fun(Ms) -> [TM || {T, _} = TM <- Ms, T >= T0] end,
                     %% On a: nodedown, 'DOWN', 'EXIT' and the two calls'
                     %% ends; on w: the two watchers' reports.
                     ok = poll(fun() ->
                                       length(Since(on(PA, fetch, [AProc]))) >= 5
                                           andalso
                                           length(Since(on(PW, fetch, [Collector])))
                                           >= 2
                               end, Deadline),
                     timer:sleep(500),
                     ABefore = [M || {T, M} <- on(PA, fetch, [AProc]), T < T0],
                     AMsgs = Since(on(PA, fetch, [AProc])),
                     WMsgs = Since(on(PW, fetch, [Collector])),
                     {0, _} = sh("ip -n " ++ NsJ ++ " link set eth0 up"),
                     TUp = os:system_time(millisecond),
                     Up = on(PA, after_up, [?J, Idle, L]),
                     TCall = os:system_time(millisecond) - TUp,
                     timer:sleep(?QUIET),
                     AAfter = lists:nthtail(length(ABefore) + length(AMsgs),
                                            on(PA, fetch, [AProc])),
                     on(PA, stop_proc, [AProc]),
                     on(PW, stop_proc, [Collector]),
                     Timed = fun(Ms) ->
                                     lists:sort([{label(M, L), T - T0}
                                                 || {T, M} <- Ms])
                             end,
                     jinet_diff:log("watches: ~tp; reconnect call ~b ms",
                                    [label(Watches, L), TCall]),
                     [{"watch/2 on j answers", label(Watches, L)},
                      {"on a before the cut",
                       lists:sort([label(M, L) || M <- ABefore])},
                      {{timed, "on a, after the cut"}, Timed(AMsgs)},
                      {{timed, "on j (its reports to w), after the cut"},
                       Timed(WMsgs)},
                      {"after the link is up again", Up},
                      {"on a after the link is up",
                       lists:sort([label(M, L) || {_, M} <- AAfter])}]
             end),
    Bound = fun(B) -> B * 1.25 + 1000 end,
    TickBound = ?TICK * 1250 + 1000,
    %% Times: each message of the jinet run within BEAM's time x 1.25 + 1 s,
    %% and a sees the node go down within the tick time (both runs).
    Checks =
        lists:append(
          [begin
               BT = maps:from_list(proplists:get_value({timed, Where},
                                                       maps:get(beam, R))),
               JT = proplists:get_value({timed, Where}, maps:get(jinet, R)),
               [{{time, Where, M}, Tj, maps:get(M, BT)}
                || {M, Tj} <- JT, maps:is_key(M, BT),
                   Tj > Bound(maps:get(M, BT))]
           end || Where <- ["on a, after the cut",
                            "on j (its reports to w), after the cut"]] ++
              [[{{tick_bound, Kind, M}, T, TickBound}
                || {M, T} <- proplists:get_value({timed, "on a, after the cut"},
                                                 maps:get(Kind, R)),
                   T > TickBound]
               || Kind <- [beam, jinet]]),
    say("link_cut times (ms after the cut):~n  BEAM  ~tp~n  jinet ~tp",
        [[{W, proplists:get_value({timed, W}, maps:get(K, R))}
          || W <- ["on a, after the cut",
                   "on j (its reports to w), after the cut"]]
         || K <- [beam, jinet]]),
    verdict(link_cut, Config, R, Checks).

%%--------------------------------------------------------------------
%% Comparing
%%--------------------------------------------------------------------

%% The two runs' outcomes, key by key: the same after labelling (timed lists
%% compared as the sets of their messages); Extra are failed checks of
%% their own.
verdict(Case, Config, #{beam := B, jinet := J}, Extra) ->
    Strip = fun({{timed, _} = K, V}) -> {K, [M || {M, _} <- V]};
               (KV) -> KV
            end,
    Bs = [Strip(KV) || KV <- B],
    Js = [Strip(KV) || KV <- J],
    Diffs = [#{key => K, beam => V, jinet => proplists:get_value(K, Js, missing)}
             || {K, V} <- Bs, proplists:get_value(K, Js, missing) =/= V] ++
        [#{key => K, beam => missing, jinet => V}
         || {K, V} <- Js, not lists:keymember(K, 1, Bs)],
    jinet_diff:record(atom_to_list(Case), length(Bs), length(Bs) - length(Diffs)),
    jinet_diff:log("~p: BEAM at 10.77.0.1:~n~tp~njinet at 10.77.0.1:~n~tp",
                   [Case, B, J]),
    case {Diffs, Extra} of
        {[], []} ->
            ok;
        _ ->
            [say("~p: ~tp~n  BEAM:  ~tp~n  jinet: ~tp",
                 [Case, K, Vb, Vj]) || #{key := K, beam := Vb, jinet := Vj} <- Diffs],
            [say("~p: check failed: ~tp", [Case, E]) || E <- Extra],
            ct:fail({Case, length(Diffs), mismatches, Extra})
    end,
    _ = Config,
    ok.

labels(Pids) ->
    maps:merge(#{?J => 'J', ?A => 'A', ?B => 'B', ?W => 'W'}, Pids).

%% Pids (by name when L knows them, else by node), refs, ports and node
%% names replaced by labels, stacks by '$stack'.
label(T, L) when is_pid(T) ->
    case L of
        #{T := N} -> N;
        _ -> {pid, label(node(T), L)}
    end;
label(T, L) when is_reference(T) -> maps:get(T, L, ref);
label(T, _) when is_port(T) -> port;
label(T, L) when is_atom(T) -> maps:get(T, L, T);
label([_ | _] = T, L) ->
    case is_stacktrace(T) of
        true -> '$stack';
        false -> label_list(T, L)
    end;
label(T, L) when is_tuple(T) -> list_to_tuple(label_list(tuple_to_list(T), L));
label(T, L) when is_map(T) -> maps:from_list(label_list(maps:to_list(T), L));
label(T, _) -> T.

label_list([H | T], L) -> [label(H, L) | label_list(T, L)];
label_list([], _) -> [];
label_list(T, L) -> label(T, L).

is_stacktrace(St) ->
    try lists:all(fun is_frame/1, St)
    catch error:_ -> false
    end.

is_frame({M, F, A, Loc}) when is_atom(M), is_atom(F), is_list(Loc) ->
    is_integer(A) orelse is_list(A);
is_frame(_) ->
    false.

%%--------------------------------------------------------------------
%% Helpers run on a, b and w (each in a process of its own)
%%--------------------------------------------------------------------

on(Peer, F, Args) ->
    on(Peer, ?MODULE, F, Args).

on(Peer, M, F, Args) ->
    peer:call(Peer, ?MODULE, in_proc, [M, F, Args], ?PEER_T).

%% M:F(Args) in a fresh process (trap_exit and messages stay there).
in_proc(M, F, Args) ->
    {Pid, Mon} = spawn_monitor(fun() -> exit({done, apply(M, F, Args)}) end),
    receive
        {'DOWN', Mon, process, Pid, {done, V}} -> V;
        {'DOWN', Mon, process, Pid, Reason} -> error({helper, Reason})
    end.

rpc_calls(J) ->
    L = labels(#{}),
    Calls =
        [{"rpc:call parse_address",
          fun() -> rpc:call(J, inet, parse_address, ["10.77.0.9"]) end},
         {"rpc:call parse_address bad",
          fun() -> rpc:call(J, inet, parse_address, ["10.77.0.256"]) end},
         {"rpc:call ntoa", fun() -> rpc:call(J, inet, ntoa, [{10, 77, 0, 9}]) end},
         {"rpc:call undef", fun() -> rpc:call(J, jinet_cluster_nomod, f, [x]) end},
         {"rpc:call parse_address(foo)",
          fun() -> rpc:call(J, inet, parse_address, [foo]) end},
         {"rpc:block_call parse_address",
          fun() -> rpc:block_call(J, inet, parse_address, ["::1"]) end},
         {"rpc:cast", fun() -> rpc:cast(J, inet, parse_address, ["1"]) end},
         {"erpc:call parse_address",
          fun() -> outcome(fun() -> erpc:call(J, inet, parse_address,
                                              ["10.77.0.9"]) end) end},
         {"erpc:call parse_ipv6_address",
          fun() -> outcome(fun() -> erpc:call(J, inet, parse_ipv6_address,
                                              ["::ffff:10.77.0.9"]) end) end},
         {"erpc:call ntoa bad",
          fun() -> outcome(fun() -> erpc:call(J, inet, ntoa, [{1, 2, 3}]) end) end},
         {"erpc:call parse_address(foo)",
          fun() -> outcome(fun() -> erpc:call(J, inet, parse_address,
                                              [foo]) end) end},
         {"erpc:call undef",
          fun() -> outcome(fun() -> erpc:call(J, jinet_cluster_nomod, f,
                                              [x]) end) end},
         {"erpc:multicall",
          fun() -> erpc:multicall([J, J], inet, parse_address, ["10.77.0.9"]) end},
         {"erpc:send_request",
          fun() ->
                  Req = erpc:send_request(J, inet, ntoa, [{10, 77, 0, 1}]),
                  outcome(fun() -> erpc:receive_response(Req, 10000) end)
          end},
         {"erpc:cast", fun() -> erpc:cast(J, inet, parse_address, ["x"]) end}],
    [{K, label(F(), L)} || {K, F} <- Calls].

outcome(F) ->
    try F() of
        V -> {ok, V}
    catch
        C:R -> {C, R}
    end.

%% The messages that arrive within Timeout ms, until none come for ?QUIET
%% ms after the first N.
collect(N, Timeout) ->
    collect(N, erlang:monotonic_time(millisecond) + Timeout, []).

collect(N, Deadline, Acc) when N > 0 ->
    Left = max(0, Deadline - erlang:monotonic_time(millisecond)),
    receive
        M -> collect(N - 1, Deadline, [M | Acc])
    after Left ->
            lists:reverse(Acc)
    end;
collect(_, _, Acc) ->
    receive
        M -> collect(0, 0, [M | Acc])
    after ?QUIET ->
            lists:reverse(Acc)
    end.

idle(J, Name) ->
    rpc:call(J, jinet_node, idle, [Name]).

monitors(J) ->
    P1 = idle(J, undefined),
    P2 = idle(J, jc_idle),
    Taken = idle(J, jc_idle),
    M1 = monitor(process, P1),
    M2 = monitor(process, {jc_idle, J}),
    M3 = monitor(process, {jc_nobody, J}),
    P1 ! {exit, bye},
    {jc_idle, J} ! {exit, {shutdown, "by name"}},
    Ends = collect(3, 10000),
    M4 = monitor(process, P1),
    Dead = collect(1, 10000),
    P3 = idle(J, undefined),
    M5 = monitor(process, P3),
    Dem = erlang:demonitor(M5, [flush, info]),
    P3 ! {exit, late},
    AfterDemonitor = collect(0, 0),
    Again = idle(J, jc_idle),
    M6 = monitor(process, {jc_idle, J}),
    %% A registered idle process traps exits: shot is a message to it, kill
    %% ends it.
    exit(Again, shot),
    Trapped = collect(0, 0),
    exit(Again, kill),
    Killed = collect(1, 10000),
    L = labels(#{P1 => p1, P2 => p2, P3 => p3, Again => again,
                 M1 => m1, M2 => m2, M3 => m3, M4 => m4, M5 => m5, M6 => m6}),
    [{K, label(V, L)}
     || {K, V} <- [{"idle(jc_idle) when taken", Taken},
                   {"pid, name, no such name: exits", lists:sort(Ends)},
                   {"monitor of a dead pid", Dead},
                   {"demonitor", Dem},
                   {"after demonitor", AfterDemonitor},
                   {"registered: exit(P, shot)", Trapped},
                   {"registered: exit(P, kill)", Killed}]].

links(J) ->
    process_flag(trap_exit, true),
    %% j's process exits: we trap.
    P1 = idle(J, undefined),
    true = link(P1),
    P1 ! {exit, boom},
    Exit1 = collect(1, 10000),
    %% Our linked process exits: j's process goes with it.
    Ours = fun(P, How) ->
                   M = monitor(process, P),
                   {_, OM} = spawn_monitor(fun() -> How(P) end),
                   receive {'DOWN', OM, _, _, _} -> ok end,
                   timer:sleep(?QUIET),
                   P ! {exit, survived},
                   receive {'DOWN', M, process, P, R} -> R
                   after 10000 -> no_down
                   end
           end,
    Gone = Ours(idle(J, undefined), fun(P) -> link(P), exit(gone) end),
    Normal = Ours(idle(J, undefined), fun(P) -> link(P), exit(normal) end),
    Unlinked = Ours(idle(J, undefined),
                    fun(P) -> link(P), unlink(P), exit(gone) end),
    Killed = Ours(idle(J, undefined), fun(P) -> link(P), exit(kill) end),
    Shot = Ours(idle(J, undefined), fun(P) -> exit(P, shot) end),
    ExitNormal = Ours(idle(J, undefined), fun(P) -> exit(P, normal) end),
    %% kill from here to a process linked with us.
    P7 = idle(J, undefined),
    true = link(P7),
    exit(P7, kill),
    Exit7 = collect(1, 10000),
    %% Linked, unlinked, then j's process exits: nothing for us.
    P8 = idle(J, undefined),
    M8 = monitor(process, P8),
    true = link(P8),
    true = unlink(P8),
    P8 ! {exit, x},
    Exit8 = collect(1, 10000),
    L = labels(#{P1 => p1, P7 => p7, P8 => p8, M8 => m8}),
    [{K, label(V, L)}
     || {K, V} <- [{"j's linked process exits (trapped)", Exit1},
                   {"ours exits gone", Gone},
                   {"ours exits normal", Normal},
                   {"ours links, unlinks, exits gone", Unlinked},
                   {"ours exits kill", Killed},
                   {"exit(P, shot)", Shot},
                   {"exit(P, normal)", ExitNormal},
                   {"exit(P, kill) of a linked one (trapped)", Exit7},
                   {"unlinked, then j's process exits", Exit8}]].

%% A process recording nodeup/nodedown (all node types, with reasons).
node_events_start() ->
    recorder(fun() ->
                     ok = net_kernel:monitor_nodes(true, [{node_type, all},
                                                          nodedown_reason])
             end).

%% A process that records the messages it gets, with the OS time.
recorder(Init) ->
    Self = self(),
    Ref = make_ref(),
    Pid = spawn(fun() ->
                        Init(),
                        Self ! Ref,
                        record_loop([])
                end),
    receive Ref -> Pid end.

record_loop(Acc) ->
    receive
        {'$fetch', From, Ref} ->
            From ! {Ref, lists:reverse(Acc)},
            record_loop(Acc);
        '$stop' ->
            ok;
        M ->
            record_loop([{os:system_time(millisecond), M} | Acc])
    end.

%% What a recorder got so far: [{OsTimeMs, Message}].
fetch(Pid) ->
    Ref = monitor(process, Pid),
    Pid ! {'$fetch', self(), Ref},
    receive
        {Ref, Ms} -> demonitor(Ref, [flush]), Ms;
        {'DOWN', Ref, _, _, R} -> error({recorder_down, R})
    end.

stop_proc(Pid) ->
    Pid ! '$stop',
    ok.

epmd_names(Host) ->
    case net_adm:names(Host) of
        {ok, Names} -> {ok, lists:sort([N || {N, _} <- Names])};
        Other -> Other
    end.

%% erlang:disconnect_node/1, returning once the node is gone from nodes().
disconnect(N) ->
    R = erlang:disconnect_node(N),
    wait_gone(N, 50),
    R.

wait_gone(_, 0) ->
    still_connected;
wait_gone(N, K) ->
    case lists:member(N, nodes(connected)) of
        true -> timer:sleep(100), wait_gone(N, K - 1);
        false -> ok
    end.

%% A name server that never answers, on 127.0.0.1:53 of this namespace.
silent_dns() ->
    Self = self(),
    Pid = spawn(fun() ->
                        {ok, S} = gen_udp:open(53, [{ip, {127, 0, 0, 1}},
                                                    {active, false}]),
                        Self ! {self(), ok},
                        receive never -> gen_udp:close(S) end
                end),
    receive {Pid, ok} -> ok after 5000 -> error(no_dns_socket) end.

%% On w: the process jinet_node:watch/2 on j reports to.
collector_start() ->
    recorder(fun() -> ok end).

watch_targets(J, Targets, Collector) ->
    [rpc:call(J, jinet_node, watch, [T, Collector]) || T <- Targets].

%% On a: a process linked to, and monitoring, a process of j, subscribed to
%% nodeup/nodedown, with two long calls into j under way (gethostbyname
%% against a name server that never answers), recording what it gets.
cut_prepare(J) ->
    Self = self(),
    Ref = make_ref(),
    Pid = spawn(
            fun() ->
                    process_flag(trap_exit, true),
                    ok = net_kernel:monitor_nodes(true, [{node_type, all},
                                                         nodedown_reason]),
                    Idle = idle(J, undefined),
                    true = link(Idle),
                    _ = monitor(process, Idle),
                    Me = self(),
                    spawn(fun() ->
                                  Me ! {long_call, erpc,
                                        outcome(fun() ->
                                                        erpc:call(J, inet, gethostbyname,
                                                                  ["never.jinet.test"],
                                                                  60000)
                                                end)}
                          end),
                    spawn(fun() ->
                                  Me ! {long_call, rpc,
                                        rpc:call(J, inet, gethostbyname,
                                                 ["never2.jinet.test"], 60000)}
                          end),
                    Self ! {Ref, Idle},
                    record_loop([])
            end),
    receive {Ref, Idle} -> {Pid, Idle} end.

%% On a, once the link is up again: a new call, and j's process that was
%% linked to a_proc is gone (noconnection ended it).
after_up(J, Idle, L) ->
    Call = rpc:call(J, inet, parse_address, ["10.77.0.9"], 15000),
    M = monitor(process, Idle),
    Down = receive {'DOWN', M, process, _, R} -> R after 10000 -> no_down end,
    Erpc = outcome(fun() -> erpc:call(J, inet, ntoa, [{10, 77, 0, 2}], 15000) end),
    label([{"rpc:call after reconnect", Call},
           {"monitor of j's process linked across the cut", Down},
           {"erpc:call after reconnect", Erpc}], L).

%%--------------------------------------------------------------------
%% Utilities
%%--------------------------------------------------------------------

poll(Fun, Deadline) ->
    case Fun() of
        true -> ok;
        false ->
            case os:system_time(millisecond) > Deadline of
                true -> ok;
                false -> timer:sleep(100), poll(Fun, Deadline)
            end
    end.

jinet_diff_parallel(Funs) ->
    Started = [spawn_monitor(fun() -> exit({done, F()}) end) || F <- Funs],
    [receive
         {'DOWN', Mon, process, Pid, {done, V}} -> V;
         {'DOWN', Mon, process, Pid, Reason} -> {error, Reason}
     end || {Pid, Mon} <- Started].

sh(Cmd) ->
    Out = os:cmd(Cmd ++ " 2>&1; echo \"rc=$?\""),
    [RcLine | Rev] = lists:reverse(string:split(string:trim(Out, trailing),
                                                "\n", all)),
    "rc=" ++ Rc = RcLine,
    {list_to_integer(Rc), lists:flatten(lists:join("\n", lists:reverse(Rev)))}.

say(Format, Args) ->
    jinet_diff:log(Format, Args),
    io:format(user, Format ++ "~n", Args).
