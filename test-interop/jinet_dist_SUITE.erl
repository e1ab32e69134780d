%% jinet's distribution transport compared with BEAM's: outgoing connections
%% and net_adm:ping both ways, simultaneous connects, ticks (a stopped peer is
%% dropped within net_ticktime, an idle live one is kept), garbage and
%% oversized input on the distribution port (before and after a handshake),
%% half-open connections closed at net_setuptime, and fragmented messages.
%%
%% Each case runs one scenario against the jinet node J and against a BEAM
%% peer P started with the same flags in the same role (hidden, with
%% -kernel net_ticktime 4 -kernel net_setuptime 2), and compares the
%% outcomes after replacing node names, pids and references by labels, as
%% jinet_runtime_SUITE does. Where BEAM differs in a detail that does not
%% matter (a status it answers before closing, how long it takes), both are
%% logged and only the part that matters is compared; times are reported.
%%
%% The test node's own net_ticktime is set to 4 for the suite (and put back
%% at the end), so that every connection in the suite ticks alike: a node
%% with a shorter tick time than its peer would drop the connection on its
%% own. The BEAM nodes are driven by peer over a TCP connection of their own
%% (not distribution), so stopping one with SIGSTOP, or dropping its
%% distribution connections, leaves their control intact.
%%
%% Helpers run on the BEAM nodes (watch/2 and start_idle/1, stand-ins for
%% jinet_node:watch/2 and jinet_node:idle/1; the node event recorder) are
%% exported from this module, loaded there with -pa.
%%
%% With JINET_STANDIN=beam the suite is skipped (jinet_node is jinet's own);
%% $JINET_NODE is ignored: the node must run with this suite's flags.
-module(jinet_dist_SUITE).

-include_lib("common_test/include/ct.hrl").

-export([suite/0, all/0, init_per_suite/1, end_per_suite/1,
         init_per_testcase/2, end_per_testcase/2]).
-export([outgoing_and_ping/1, simultaneous_connect/1, ticks/1,
         garbage_input/1, half_open/1, fragments/1]).
%% Run on the BEAM nodes.
-export([watch/2, start_idle/1, recorder_start/0, recorder_take/0,
         collector_start/0]).

-define(TICKTIME, 4).              % s, every node of the suite
-define(SETUPTIME, 2).             % s, every node of the suite
-define(T, 5000).                  % ms to wait for a message that must come
-define(CALL_T, 10000).            % timeout of calls that must answer
-define(ROUNDS, 20).               % simultaneous connects per node
%% OTP 25's MANDATORY_DFLAGS_25 (dist.hrl), which DFLAG_MANDATORY_25_DIGEST
%% stands for.
-define(MANDATORY_25, 16#1070f94).
-define(DFLAG_DIST_HDR_ATOM_CACHE, 16#2000).
-define(PING_IN_FLIGHT, "ping of V over its connection, V stopped: answer, "
        "within 1 s of the node reporting V down").

suite() ->
    [{timetrap, {minutes, 3}}].

all() ->
    [outgoing_and_ping, simultaneous_connect, ticks, garbage_input, half_open,
     fragments].

%%--------------------------------------------------------------------
%% Setup
%%--------------------------------------------------------------------

init_per_suite(Config) ->
    case os:getenv("JINET_STANDIN") of
        "beam" ->
            Why = "JINET_STANDIN=beam: the jinet_node functions this suite "
                "drives jinet with exist on jinet only",
            say("jinet_dist_SUITE skipped: ~s", [Why]),
            {skip, Why};
        _ ->
            start_nodes(Config)
    end.

start_nodes(Config) ->
    T0 = now_ms(),
    Seed = jinet_diff:seed(),
    say("jinet_dist_SUITE: seed ~p (rerun with JINET_SEED=~p)", [Seed, Seed]),
    ok = jinet_diff:stats_restart(),
    OldTick = net_kernel:get_net_ticktime(),
    ok = set_ticktime(?TICKTIME),
    Parent = self(),
    %% The jinet node and the BEAM peer, side by side.
    JStarter = spawn_link(
                 fun() ->
                         Parent ! {jstart, jinet_diff:start_node(
                                             #{root => jinet_diff:root(Config),
                                               log_dir => ?config(priv_dir, Config),
                                               use_env => false,
                                               env => java_opts(),
                                               args => kernel_args()})}
                 end),
    PStart = start_beam("dsP"),
    JStart = receive {jstart, R} -> unlink(JStarter), R end,
    case {JStart, PStart} of
        {{ok, HJ = #{node := J, os_pid := Wrapper}}, {ok, Peer, P}} ->
            JPid = java_pid(Wrapper),
            PPid = list_to_integer(pcall(Peer, os, getpid, [])),
            pong = net_adm:ping(P),
            say("jinet_dist_SUITE: jinet ~p (OS pid ~p), BEAM peer ~p "
                "(OS pid ~p), net_ticktime ~b, net_setuptime ~b; up in ~b ms",
                [J, JPid, P, PPid, ?TICKTIME, ?SETUPTIME, now_ms() - T0]),
            [{jinet, HJ}, {jnode, J}, {jpid, JPid}, {peer, Peer}, {pnode, P},
             {ppid, PPid}, {old_ticktime, OldTick}, {seed, Seed} | Config];
        _ ->
            [catch jinet_diff:stop_node(H) || {ok, H} <- [JStart]],
            [catch peer:stop(Pe) || {ok, Pe, _} <- [PStart]],
            ok = set_ticktime(OldTick),
            jinet_diff:stats_stop_sync(),
            say("jinet_dist_SUITE: nodes not started: ~tp",
                [{JStart, PStart}]),
            {fail, {nodes_not_started, JStart, PStart}}
    end.

end_per_suite(Config) ->
    R = (catch peer:stop(?config(peer, Config))),
    {ok, Stop} = jinet_diff:stop_node(?config(jinet, Config)),
    ok = set_ticktime(?config(old_ticktime, Config)),
    jinet_diff:log("peer stopped: ~tp~njinet stopped: ~tp", [R, Stop]),
    Table = jinet_diff:format_summary(jinet_diff:summary(), 40),
    say("~njinet_dist_SUITE summary (checks per case, jinet vs BEAM; node ~p, "
        "seed ~p):~n~ts", [?config(jnode, Config), ?config(seed, Config),
                           Table]),
    jinet_diff:stats_stop_sync(),
    ok.

init_per_testcase(Case, Config) ->
    jinet_diff:seed_process(?config(seed, Config), Case),
    jinet_diff:flush(),
    [{case_start, now_ms()} | Config].

end_per_testcase(Case, Config) ->
    say("jinet_dist_SUITE: ~p took ~b ms",
        [Case, now_ms() - ?config(case_start, Config)]),
    jinet_diff:flush(),
    ok.

%% The handshake's debug lines say how jinet admitted each send_name (ok,
%% ok_simultaneous, nok, alive): simultaneous_connect reports the counts.
java_opts() ->
    Old = os:getenv("JINET_JAVA_OPTS", ""),
    [{"JINET_JAVA_OPTS",
      Old ++ " -Dorg.slf4j.simpleLogger.log.jinet.dist.Handshake=debug"
      " -Dorg.slf4j.simpleLogger.log.jinet.dist.DistTransport=debug"}].

%% {Admission, Count} of the send_names from nodes named Prefix* in the
%% jinet node's log.
admissions(Config, Prefixes) ->
    #{stderr_log := Log} = ?config(jinet, Config),
    {ok, Text} = file:read_file(Log),
    Matches = case re:run(Text, "send_name from ([a-z_]+)[^:]*: ([A-Z_]+)",
                          [global, {capture, all_but_first, list}]) of
                  {match, Ms} -> Ms;
                  nomatch -> []
              end,
    Kinds = [K || [Pre, K] <- Matches, lists:member(Pre, Prefixes)],
    lists:sort(maps:to_list(lists:foldl(fun(K, A) -> maps:update_with(
                                                        K, fun(C) -> C + 1 end,
                                                        1, A)
                                        end, #{}, Kinds))).

kernel_args() ->
    ["-kernel", "net_ticktime", integer_to_list(?TICKTIME),
     "-kernel", "net_setuptime", integer_to_list(?SETUPTIME)].

%% net_kernel:set_net_ticktime/2 with no transition period: done at once.
set_ticktime(T) ->
    case net_kernel:set_net_ticktime(T, 0) of
        unchanged -> ok;
        change_initiated -> wait_ticktime(T, 50);
        {ongoing_change_to, _} -> timer:sleep(100), set_ticktime(T)
    end.

wait_ticktime(T, 0) -> {ticktime_not_set, T, net_kernel:get_net_ticktime()};
wait_ticktime(T, N) ->
    case net_kernel:get_net_ticktime() of
        T -> ok;
        _ -> timer:sleep(20), wait_ticktime(T, N - 1)
    end.

%% A hidden BEAM node with the suite's flags and this module on its code
%% path, driven by peer over TCP: {ok, Peer, Node} | {error, Why}.
start_beam(Prefix) ->
    Name = Prefix ++ "_" ++ os:getpid() ++ "_" ++
        integer_to_list(erlang:unique_integer([positive])),
    Dir = filename:dirname(code:which(?MODULE)),
    try peer:start(#{name => Name, wait_boot => 60000,
                     connection => {{127, 0, 0, 1}, 0},
                     args => ["-setcookie", atom_to_list(erlang:get_cookie()),
                              "-hidden", "-pa", Dir | kernel_args()]}) of
        {ok, Peer, Node} -> {ok, Peer, Node};
        Other -> {error, Other}
    catch
        C:R -> {error, {C, R}}
    end.

%% Several at once: [{Peer, Node}], or the case fails (stopping those up).
start_beams(Prefixes) ->
    Rs = jinet_diff:parallel([fun() -> start_beam(Pr) end || Pr <- Prefixes]),
    case [{Pe, N} || {ok, {ok, Pe, N}} <- Rs] of
        Up when length(Up) =:= length(Prefixes) -> Up;
        Up ->
            [catch peer:stop(Pe) || {Pe, _} <- Up],
            ct:fail({beam_nodes_not_started, Rs})
    end.

stop_beams(Peers) ->
    jinet_diff:parallel([fun() -> catch peer:stop(Pe) end || {Pe, _} <- Peers]),
    ok.

pcall(Peer, M, F, A) ->
    peer:call(Peer, M, F, A, ?CALL_T).

%% The JVM under bin/jinet's wrapper shell (bin/jinet execs java).
java_pid(Wrapper) ->
    Children = [list_to_integer(L)
                || L <- string:lexemes(os:cmd("pgrep -P " ++
                                                  integer_to_list(Wrapper)),
                                       "\n")],
    case [C || C <- Children, comm(C) =:= "java"] of
        [Pid | _] -> Pid;
        [] -> undefined
    end.

comm(Pid) ->
    case file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/comm") of
        {ok, B} -> string:trim(binary_to_list(B));
        _ -> undefined
    end.

%%--------------------------------------------------------------------
%% 1. Outgoing connections and net_adm:ping both ways
%%--------------------------------------------------------------------

%% For each of P and J, with a fresh BEAM node X it never met:
%% the node pings X (an outgoing connection, a send to {net_kernel, X});
%% pings a node that does not exist (pang, within net_setuptime + 1 s);
%% watches a process on X, X drops the connection (the watch reports
%% noconnection); then sends to a pid on X with no connection (the report of
%% a watch on a process here, addressed to a process on X, arrives); X drops
%% it again and pings the node (an incoming connection).
outgoing_and_ping(Config) ->
    {P, J} = nodes_of(Config),
    [XP, XJ] = Xs = start_beams(["dsxa", "dsxb"]),
    try
        Run = fun(S, {XPeer, X}) -> outgoing_scenario(S, XPeer, X) end,
        [{ok, B}, {ok, R}] = jinet_diff:parallel([fun() -> Run(P, XP) end,
                                       fun() -> Run(J, XJ) end]),
        verdict(outgoing_and_ping, Config, [P, J, element(2, XP),
                                            element(2, XJ)],
                [{W, VB, VR} || {{W, VB}, {W, VR}} <- lists:zip(B, R)] ++
                    [{"jinet: " ++ W, Exp, Got}
                     || {W, Exp, Got} <- outgoing_expected(R)])
    after
        stop_beams(Xs)
    end.

outgoing_scenario(S, XPeer, X) ->
    Self = self(),
    Connected = fun() -> lists:member(S, pcall(XPeer, erlang, nodes,
                                               [connected]))
                end,
    Before = Connected(),
    Ping = rpc:call(S, net_adm, ping, [X], ?CALL_T),
    After = Connected(),
    Nosuch = list_to_atom("dsnosuch_" ++ integer_to_list(
                                           erlang:unique_integer([positive]))
                          ++ "@" ++ host()),
    {PangMs, Pang} = timed(fun() -> rpc:call(S, net_adm, ping, [Nosuch],
                                             ?CALL_T) end),
    %% A watch on X's process, reporting here: X drops the connection.
    T1 = pcall(XPeer, ?MODULE, start_idle, [undefined]),
    {W1, R1} = watch_on(S, T1, Self),
    true = pcall(XPeer, erlang, disconnect_node, [S]),
    Drop1 = receive_watch(W1),
    %% A watch on a process here, reporting to X: the node has no
    %% connection to X when it sends the report.
    Col = pcall(XPeer, ?MODULE, collector_start, []),
    Local = spawn(fun() -> receive {exit, Why} -> exit(Why) end end),
    Unconnected = Connected(),
    {W2, R2} = watch_on(S, Local, Col),
    Local ! {exit, bye},
    Reported = wait_collected(XPeer, Col, 1, ?T),
    Reconnected = Connected(),
    %% X drops it again (a watch here tells when the node has noticed),
    %% then X pings the node: an incoming connection.
    T3 = pcall(XPeer, ?MODULE, start_idle, [undefined]),
    {W3, R3} = watch_on(S, T3, Self),
    true = pcall(XPeer, erlang, disconnect_node, [S]),
    Drop3 = receive_watch(W3),
    PingBack = pcall(XPeer, net_adm, ping, [S]),
    [{"X connected to the node before", Before},
     {"rpc:call(N, net_adm, ping, [X]) (never connected)", Ping},
     {"X connected to the node after the ping", After},
     {"ping of a node that does not exist", Pang},
     {"that ping answered within net_setuptime + 1 s",
      PangMs =< (?SETUPTIME + 1) * 1000},
     {"X drops the connection: watch of X's process reports", {W1, Drop1, R1,
                                                               T1}},
     {"X connected to the node after the drop", Unconnected},
     {"a send to a pid on X, no connection: X's process got",
      {Reported, W2, R2, Local}},
     {"X connected to the node after that send", Reconnected},
     {"X drops it again: watch reports", {W3, Drop3, R3, T3}},
     {"net_adm:ping(N) on X (incoming connection)", PingBack},
     {"rpc:call afterwards", rpc:call(S, inet, parse_address, ["1.2.3.4"],
                                      ?CALL_T)}].

%% What jinet must give, whatever BEAM does.
outgoing_expected(R) ->
    Get = fun(K) -> proplists:get_value(K, R) end,
    [{"ping pong", pong, Get("rpc:call(N, net_adm, ping, [X]) (never connected)")},
     {"ping back pong", pong, Get("net_adm:ping(N) on X (incoming connection)")},
     {"pang", pang, Get("ping of a node that does not exist")}].

watch_on(S, Target, ReportTo) ->
    case jinet_node(S) of
        true -> erpc:call(S, jinet_node, watch, [Target, ReportTo], ?CALL_T);
        false -> erpc:call(S, ?MODULE, watch, [Target, ReportTo], ?CALL_T)
    end.

%% The BEAM peer of the pair is dsP_...; every other node tested is jinet.
jinet_node(S) ->
    not lists:prefix("dsP", atom_to_list(S)).

receive_watch(W) ->
    receive {jinet_watch, W, M} -> M
    after ?T -> no_watch_message
    end.

%% What the collector on a BEAM node holds once it has N messages (or after
%% Timeout ms: what it has).
wait_collected(XPeer, Col, N, Timeout) ->
    Deadline = now_ms() + Timeout,
    wait_collected_until(XPeer, Col, N, Deadline).

wait_collected_until(XPeer, Col, N, Deadline) ->
    {messages, Ms} = pcall(XPeer, erlang, process_info, [Col, messages]),
    case length(Ms) >= N orelse now_ms() > Deadline of
        true -> Ms;
        false -> timer:sleep(20), wait_collected_until(XPeer, Col, N, Deadline)
    end.

%%--------------------------------------------------------------------
%% 2. Simultaneous connect
%%--------------------------------------------------------------------

%% X pings the node while the node pings X, ?ROUNDS times, with X's name
%% before the node's in half the rounds and after it in the other half (the
%% greater name wins a simultaneous connect); between rounds X disconnects.
%% Each round: both pings' answers, the TCP connections between the two
%% (counted from each side's sockets, /proc), and X's nodeup/nodedown
%% events. Between two BEAM nodes: pong, pong, one connection, one nodeup.
%% The disconnect is complete (the node has seen it) before the next round.
simultaneous_connect(Config) ->
    {P, J} = nodes_of(Config),
    case file:read_file_info("/proc/net/tcp") of
        {ok, _} ->
            Xs = start_beams(["a_dslo", "a_dslo", "zz_dshi", "zz_dshi"]),
            [XPlo, XJlo, XPhi, XJhi] = Xs,
            try
                XPids = maps:from_list(
                          [{N, list_to_integer(pcall(Pe, os, getpid, []))}
                           || {Pe, N} <- Xs]),
                [ok = pcall(Pe, ?MODULE, recorder_start, []) || {Pe, _} <- Xs],
                Side = fun(S, SPid, Lo, Hi) ->
                               [simultaneous_round(S, SPid, X, XPids, I)
                                || I <- lists:seq(1, ?ROUNDS),
                                   X <- [case I rem 2 of 0 -> Lo; 1 -> Hi end]]
                       end,
                [{ok, B}, {ok, R}] =
                    jinet_diff:parallel([fun() -> Side(P, ?config(ppid, Config), XPlo,
                                            XPhi) end,
                              fun() -> Side(J, ?config(jpid, Config), XJlo,
                                            XJhi) end]),
                Expected = {pong, pong, {1, 1}, [nodeup], true, noconnection,
                            {0, 0}, [nodedown]},
                Adm = admissions(Config, ["a_dslo_", "zz_dshi_"]),
                say("simultaneous_connect: jinet answered X's send_name in ~b "
                    "rounds: ~p", [?ROUNDS, Adm]),
                ct:comment("jinet's answers to X: ~p", [Adm]),
                Nodes = [P, J | [N || {_, N} <- Xs]],
                verdict(simultaneous_connect, Config, Nodes,
                        [{lists:flatten(io_lib:format("round ~b", [I])), VB, VR}
                         || {I, VB, VR} <- lists:zip3(lists:seq(1, length(B)),
                                                       B, R)] ++
                            [{"BEAM rounds as expected", [], [Round || Round <- B,
                                                                       Round =/= Expected]},
                             {"jinet rounds as expected", [], [Round || Round <- R,
                                                                        Round =/= Expected]}])
            after
                stop_beams(Xs)
            end;
        _ ->
            Why = "no /proc/net/tcp to count connections with",
            say("simultaneous_connect skipped: ~s", [Why]),
            {skip, Why}
    end.

simultaneous_round(S, SPid, {XPeer, X}, XPids, I) ->
    XPid = maps:get(X, XPids),
    Self = self(),
    %% Half the rounds the node's ping starts first, half X's; each up to
    %% 1 ms late, so that the two handshakes overlap in varying ways.
    Delay = rand:uniform(3) - 1,
    [First, Second] = case I rem 4 < 2 of
                          true -> [node, x];
                          false -> [x, node]
                      end,
    Go = fun(node) -> rpc:call(S, net_adm, ping, [X], ?CALL_T);
            (x) -> pcall(XPeer, net_adm, ping, [S])
         end,
    Ps = [spawn(fun() -> receive go -> Self ! {Who, Go(Who)} end end)
          || Who <- [First, Second]],
    [P1, P2] = Ps,
    P1 ! go,
    Delay > 0 andalso busy_wait_us(Delay * 500),
    P2 ! go,
    Answers = maps:from_list([receive {Who, A} -> {Who, A}
                              after 2 * ?CALL_T -> {Who, no_answer}
                              end || Who <- [node, x]]),
    timer:sleep(150),
    Up = sockets_between(XPid, SPid),
    Up =:= {1, 1} orelse
        jinet_diff:log("round ~b, ~p and ~p: sockets ~p; established "
                       "{local port, remote port} of each: ~p",
                       [I, S, X, Up, {endpoints(XPid, tcp_entries()),
                                      endpoints(SPid, tcp_entries())}]),
    UpEvents = events(XPeer, S),
    %% The next round starts once the node itself has seen the connection
    %% go (its watch of a process on X reports noconnection): each round
    %% is a simultaneous connect, not a connect racing a disconnect.
    T = pcall(XPeer, ?MODULE, start_idle, [undefined]),
    {W, _} = watch_on(S, T, Self),
    Disconnected = pcall(XPeer, erlang, disconnect_node, [S]),
    Noticed = case receive_watch(W) of
                  {'DOWN', _, process, T, Why} -> Why;
                  Other -> Other
              end,
    Down = wait_sockets(XPid, SPid, {0, 0}, 3000),
    timer:sleep(20),
    DownEvents = events(XPeer, S),
    {maps:get(node, Answers), maps:get(x, Answers), Up, UpEvents, Disconnected,
     Noticed, Down, DownEvents}.

busy_wait_us(Us) ->
    End = erlang:monotonic_time(microsecond) + Us,
    busy_until(End).

busy_until(End) ->
    case erlang:monotonic_time(microsecond) >= End of
        true -> ok;
        false -> busy_until(End)
    end.

%% X's recorded node events about S since the last look: [nodeup|nodedown].
events(XPeer, S) ->
    [E || {E, N} <- pcall(XPeer, ?MODULE, recorder_take, []), N =:= S].

wait_sockets(A, B, Want, Timeout) ->
    Deadline = now_ms() + Timeout,
    wait_sockets_until(A, B, Want, Deadline).

wait_sockets_until(A, B, Want, Deadline) ->
    case sockets_between(A, B) of
        Want -> Want;
        Now ->
            case now_ms() > Deadline of
                true -> Now;
                false -> timer:sleep(20),
                         wait_sockets_until(A, B, Want, Deadline)
            end
    end.

%% {A's established TCP sockets connected to B's, B's connected to A's}, for
%% two OS processes on this host: the sockets are found by inode among each
%% process's file descriptors, matched by their two ports.
sockets_between(PidA, PidB) ->
    Entries = tcp_entries(),
    EA = endpoints(PidA, Entries),
    EB = endpoints(PidB, Entries),
    {length([E || {L, R} = E <- EA, lists:member({R, L}, EB)]),
     length([E || {L, R} = E <- EB, lists:member({R, L}, EA)])}.

endpoints(Pid, Entries) ->
    Inodes = socket_inodes(Pid),
    [{L, R} || {L, R, "01", Inode} <- Entries, maps:is_key(Inode, Inodes)].

socket_inodes(Pid) ->
    Dir = "/proc/" ++ integer_to_list(Pid) ++ "/fd",
    Fds = case file:list_dir(Dir) of
              {ok, Fs} -> Fs;
              _ -> []
          end,
    maps:from_list([{Inode, true}
                    || F <- Fds,
                       {ok, "socket:[" ++ Rest} <-
                           [file:read_link(filename:join(Dir, F))],
                       Inode <- [lists:takewhile(fun(C) -> C =/= $] end,
                                                 Rest)]]).

%% [{LocalPort, RemotePort, State, Inode}] from /proc/net/tcp and tcp6.
tcp_entries() ->
    lists:append([tcp_file(F) || F <- ["/proc/net/tcp", "/proc/net/tcp6"]]).

tcp_file(File) ->
    case file:read_file(File) of
        {ok, Bin} ->
            [_Header | Lines] = string:lexemes(binary_to_list(Bin), "\n"),
            [{port(Local), port(Remote), St, Inode}
             || Line <- Lines,
                [_Sl, Local, Remote, St, _, _, _, _, _, Inode | _] <-
                    [string:lexemes(Line, " ")]];
        _ ->
            []
    end.

port(Address) ->
    [_, Hex] = string:split(Address, ":", trailing),
    list_to_integer(Hex, 16).

%%--------------------------------------------------------------------
%% 3. Ticks
%%--------------------------------------------------------------------

%% A BEAM node V with a process T; J (jinet_node:watch) and P (the stand-in)
%% each monitor T, reporting here. 3 x net_ticktime of silence: V keeps both
%% connections (only ticks cross them). Then V is stopped (SIGSTOP): each
%% node reports T down with noconnection; the time from the stop to the
%% report is measured for both (BEAM: between 0.75 and 1.25 x net_ticktime;
%% jinet must be within 1.25 x net_ticktime + 1 s). While V is stopped, a
%% ping of V answers pang within net_setuptime + 1 s. Then SIGCONT.
ticks(Config) ->
    {P, J} = nodes_of(Config),
    [{VPeer, V}] = Vs = start_beams(["dsv"]),
    VPid = pcall(VPeer, os, getpid, []),
    try
        ok = pcall(VPeer, ?MODULE, recorder_start, []),
        T = pcall(VPeer, ?MODULE, start_idle, [undefined]),
        Self = self(),
        Watch = fun(S) -> {W, R} = watch_on(S, T, Self), {W, R} end,
        {WP, RP} = Watch(P),
        {WJ, RJ} = Watch(J),
        Idle = ?TICKTIME * 3 * 1000,
        timer:sleep(Idle),
        Hidden = pcall(VPeer, erlang, nodes, [hidden]),
        VEvents = pcall(VPeer, ?MODULE, recorder_take, []),
        Early = jinet_diff:receive_all(0),
        Stop = now_ms(),
        "" = os:cmd("kill -STOP " ++ VPid),
        %% kill returns once the signal is sent; a thread of V may still run
        %% for a moment and answer a ping sent now on one side and not on the
        %% other
        ok = wait_stopped(VPid, 2000),
        %% Pings of V over the connections that are still up: the answer
        %% never comes; on BEAM the connection's loss ends the call (pang).
        Self = self(),
        spawn(fun() ->
                      Self ! {pings_in_flight,
                              jinet_diff:parallel([fun() -> timed(fun() -> rpc:call(
                                                                  N, net_adm, ping, [V],
                                                                  ?TICKTIME * 1250 + 2000)
                                                       end)
                                        end || N <- [P, J]])}
              end),
        Downs = receive_downs([{WP, beam}, {WJ, jinet}], Stop,
                              (2 * ?TICKTIME + 2) * 1000),
        [{ok, {FlightMsP, FlightP}}, {ok, {FlightMsJ, FlightJ}}] =
            receive {pings_in_flight, IF} -> IF
            after (2 * ?TICKTIME + 5) * 1000 -> ct:fail(pings_in_flight_lost)
            end,
        %% V is still stopped: its port answers, its handshake does not.
        PingWhileStopped =
            jinet_diff:parallel([fun() -> timed(fun() -> rpc:call(N, net_adm, ping, [V],
                                                       ?CALL_T) end)
                      end || N <- [P, J]]),
        "" = os:cmd("kill -CONT " ++ VPid),
        [{ok, {PingMsP, PangP}}, {ok, {PingMsJ, PangJ}}] = PingWhileStopped,
        {beam, MsP, DownP} = lists:keyfind(beam, 1, Downs),
        {jinet, MsJ, DownJ} = lists:keyfind(jinet, 1, Downs),
        Bound = (?TICKTIME * 1250) + 1000,
        say("ticks: net_ticktime ~b s; stopped peer reported down after "
            "~p ms by BEAM, ~p ms by jinet (bound for jinet ~b ms); ping of "
            "the stopped node: BEAM ~p in ~b ms, jinet ~p in ~b ms",
            [?TICKTIME, MsP, MsJ, Bound, PangP, PingMsP, PangJ, PingMsJ]),
        say("ticks: ping of V sent on the connection just before it was lost: "
            "BEAM ~p after ~b ms, jinet ~p after ~b ms",
            [FlightP, FlightMsP, FlightJ, FlightMsJ]),
        InTime = fun(FMs, DMs) -> is_integer(DMs) andalso FMs =< DMs + 1000 end,
        ct:comment("down after ~p ms (BEAM) / ~p ms (jinet)", [MsP, MsJ]),
        Within = fun(Ms) -> is_integer(Ms) andalso Ms =< Bound end,
        verdict(ticks, Config, [P, J, V],
                [{?PING_IN_FLIGHT, {FlightP, InTime(FlightMsP, MsP)},
                  {FlightJ, InTime(FlightMsJ, MsJ)}},
                 {"after 3 x net_ticktime idle: V still connected to the node",
                  lists:member(P, Hidden), lists:member(J, Hidden)},
                 {"V saw no nodedown of the node while idle",
                  [E || {nodedown, N} = E <- VEvents, N =:= P],
                  [E || {nodedown, N} = E <- VEvents, N =:= J]},
                 {"no watch report while idle",
                  [M || {jinet_watch, W, _} = M <- Early, W =:= WP],
                  [M || {jinet_watch, W, _} = M <- Early, W =:= WJ]},
                 {"watch report after SIGSTOP", {WP, DownP, RP, T},
                  {WJ, DownJ, RJ, T}},
                 {"reported within 1.25 x net_ticktime + 1 s", Within(MsP),
                  Within(MsJ)},
                 {"reported no sooner than 0.5 x net_ticktime",
                  is_integer(MsP) andalso MsP >= ?TICKTIME * 500,
                  is_integer(MsJ) andalso MsJ >= ?TICKTIME * 500},
                 {"ping of the stopped node", PangP, PangJ},
                 {"that ping answered within net_setuptime + 1 s",
                  PingMsP =< (?SETUPTIME + 1) * 1000,
                  PingMsJ =< (?SETUPTIME + 1) * 1000},
                 {"jinet: the report says noconnection", noconnection,
                  case DownJ of
                      {'DOWN', _, process, _, Why} -> Why;
                      Other -> Other
                  end},
                 {"rpc:call afterwards", rpc_ok(P), rpc_ok(J)}])
    after
        os:cmd("kill -CONT " ++ VPid),
        stop_beams(Vs)
    end.

%% [{Label, MsSinceStart | timeout, Message}] for each {Watcher, Label},
%% each timed when it arrives, whatever the order.
receive_downs(Watchers, Start, Timeout) ->
    Got = receive_downs(Watchers, Start + Timeout, Start, #{}),
    [maps:get(W, Got, {Label, timeout, no_watch_message})
     || {W, Label} <- Watchers].

receive_downs(Watchers, Deadline, Start, Got) ->
    case map_size(Got) =:= length(Watchers) of
        true -> Got;
        false ->
            receive
                {jinet_watch, W, M} ->
                    {W, Label} = lists:keyfind(W, 1, Watchers),
                    receive_downs(Watchers, Deadline, Start,
                                  Got#{W => {Label, now_ms() - Start, M}})
            after max(0, Deadline - now_ms()) -> Got
            end
    end.

%%--------------------------------------------------------------------
%% 4. Garbage and oversized input
%%--------------------------------------------------------------------

%% Raw TCP connections to the distribution port (from EPMD): garbage in
%% place of the handshake, and after a real handshake (done here with the
%% cookie) garbage in place of frames. For each probe: is the connection
%% closed within the window (before a handshake: net_setuptime + 2 s; after
%% it, while the probe sends ticks, 2 s; a probe that cannot go on with ticks
%% is left to the tick timeout: 1.25 x net_ticktime + 2 s), and does the node
%% keep serving (rpc:call during and after). Controls stay open: a handshake
%% then ticks, a handshake then a valid message, and one offering the atom
%% cache then two messages whose headers set and then use cache entries (both
%% messages arrive). What each node sent before closing is logged, not
%% compared.
garbage_input(Config) ->
    {P, J} = nodes_of(Config),
    Probes = probes(),
    Run = fun(S) ->
                  Port = dist_port(S),
                  Idle = new_idle(S, ds_probe_target),
                  Mon = erlang:monitor(process, Idle),
                  Cached = new_idle(S, ds_probe_cached),
                  CachedMon = erlang:monitor(process, Cached),
                  Events = node_events_start(S),
                  Runs = [fun() -> probe(S, Port, Pr) end || Pr <- Probes],
                  Self = self(),
                  During = spawn(fun() ->
                                         timer:sleep(1000),
                                         Self ! {during, rpc_ok(S)}
                                 end),
                  Outcomes = jinet_diff:parallel(Runs),
                  DuringRpc = receive {during, D} -> D
                              after ?CALL_T -> no_answer
                              end,
                  exit(During, kill),
                  Arrived = receive
                                {'DOWN', Mon, process, Idle, Why} -> Why
                            after 0 -> no_down
                            end,
                  Idle ! {exit, done},
                  ArrivedCached = receive
                                      {'DOWN', CachedMon, process, Cached, W} -> W
                                  after 0 -> no_down
                                  end,
                  Cached ! {exit, done},
                  {[O || {ok, O} <- Outcomes] ++
                       [{crashed, E} || {'EXIT', E} <- Outcomes],
                   DuringRpc, Arrived, ArrivedCached, rpc_ok(S),
                   node_events_stop(Events)}
          end,
    [{ok, {BO, BD, BA, BC, BAfter, BEv}}, {ok, {RO, RD, RA, RC, RAfter, REv}}] =
        jinet_diff:parallel([fun() -> Run(P) end, fun() -> Run(J) end]),
    jinet_diff:log("garbage_input: {probe, outcome, ms, what the node sent "
                   "first}~nBEAM:~n~tp~njinet:~n~tp", [BO, RO]),
    say("garbage_input: ~ts",
        [[io_lib:format("~n  ~-48s BEAM ~-8s ~5b ms   jinet ~-8s ~5b ms",
                        [Name, label(OB), MsB, label(OR), MsR])
          || {{Name, OB, MsB, _}, {Name, OR, MsR, _}} <- lists:zip(BO, RO)]]),
    verdict(garbage_input, Config, [P, J],
            [{"probe " ++ Name ++ ": closed or open", OB, OR}
             || {{Name, OB, _, _}, {Name, OR, _, _}} <- lists:zip(BO, RO)] ++
                [{"probe " ++ Name ++ ": what the node answered before "
                  "closing", GB, GR}
                 || {{Name, _, _, GB}, {Name, _, _, GR}, {Name, pre, _, _}}
                        <- lists:zip3(BO, RO, Probes)] ++
                [{"jinet: probe " ++ Name, Expected, OR}
                 || {{Name, OR, _, _}, {Name, _, _, Expected}}
                        <- lists:zip(RO, Probes)] ++
                [{"rpc:call while the probes run", BD, RD},
                 {"the test node's connection to the node: events meanwhile",
                  BEv, REv},
                 {"the valid message arrived: 'DOWN' reason", BA, RA},
                 {"the message through the atom cache arrived: 'DOWN' reason",
                  BC, RC},
                 {"rpc:call afterwards", BAfter, RAfter}]).

label({refused, _}) -> "refused";
label(A) -> atom_to_list(A).

%% {Name, Phase, What, Expected}: Phase pre (no handshake) or post (after
%% one); Expected what jinet must do (as BEAM does).
probes() ->
    Flags = fake_flags(),
    Host = host(),
    Rand = rand_bytes(256),
    SendName = fun(Name) -> send_name(Flags, Name) end,
    Name = fun(N) -> list_to_binary(N ++ "@" ++ Host) end,
    Digest = 16#04000000,
    NoFunTags = fake_flags() band bnot 16#10,
    [{"random bytes", pre, packet_raw(Rand), closed},
     {"truncated handshake", pre,
      begin
          <<H:12/binary, _/binary>> = Full = SendName(Name("dstrunc")),
          <<(byte_size(Full)):16, H/binary>>
      end, closed},
     {"send_name, name without @", pre, packet2(SendName(<<"noatsign">>)),
      closed},
     {"send_name, 10 KB name", pre,
      packet2(SendName(Name(lists:duplicate(10240, $a)))), closed},
     {"send_name, name length 60000", pre,
      packet2(<<$N, Flags:64, 1:32, 60000:16, (Name("dsshort"))/binary>>),
      closed},
     {"send_name, no mandatory flags", pre,
      packet2(send_name(0, Name("dsnoflags"))), closed},
     {"handshake length 60000, 200 bytes", pre,
      <<60000:16, (rand_bytes(200))/binary>>, closed},
     {"handshake length 0", pre, <<0:16>>, closed},
     {"control: handshake then ticks", post, ticks, open},
     {"control: handshake then a message", post, valid_message, open},
     {"control: mandatory flags as OTP 25's digest flag", post,
      {flags, Digest bor (fake_flags() band bnot ?MANDATORY_25)}, open},
     {"handshake, flags without FUN_TAGS", post, {flags, NoFunTags},
      {refused, {status, "not_allowed"}}},
     {"handshake, challenge_reply with another cookie", post,
      {cookie, "not" ++ atom_to_list(erlang:get_cookie())},
      {refused, no_ack}},
     {"send_name with the test node's name (connected)", post,
      {name, hd(string:split(atom_to_list(node()), "@"))},
      {refused, {status, "alive"}}},
     {"frame of random bytes", post, random_frame, closed},
     {"frame announcing 2 GiB", post, frame_2gib, closed},
     {"truncated frame", post, truncated_frame, closed},
     {"unknown control op", post, unknown_op, closed},
     {"fragment out of order", post, fragment_out_of_order, closed},
     {"fragment of no message", post, fragment_unknown, closed},
     {"atom cache: entries set, then referenced (arrives)", post,
      {atom_cache, set_then_use}, open},
     {"atom cache: a slot referenced before it was set", post,
      {atom_cache, unset_slot}, closed}].

packet_raw(B) -> B.

packet2(B) -> <<(byte_size(B)):16, B/binary>>.

send_name(Flags, Name) ->
    <<$N, Flags:64, 1:32, (byte_size(Name)):16, Name/binary>>.

rand_bytes(N) ->
    list_to_binary([rand:uniform(256) - 1 || _ <- lists:seq(1, N)]).

%% OTP 25's mandatory flags, monitors, exit payloads, fragments, unlink ids;
%% hidden, no atom cache.
fake_flags() ->
    16#4 bor 16#8 bor 16#10 bor 16#20 bor 16#80 bor 16#100 bor 16#200 bor
        16#400 bor 16#800 bor 16#10000 bor 16#20000 bor 16#40000 bor
        16#100000 bor 16#400000 bor 16#800000 bor 16#1000000 bor 16#2000000.

dist_port(Node) ->
    [Name, Host] = string:split(atom_to_list(Node), "@"),
    {port, Port, _} = erl_epmd:port_please(Name, Host),
    Port.

%% {Name, closed | open, Ms, WhatTheNodeSent (first 64 bytes)}.
probe(_S, Port, {Name, pre, Bytes, _}) ->
    {ok, Sock} = gen_tcp:connect({127, 0, 0, 1}, Port,
                                 [binary, {active, false}, {nodelay, true}]),
    T0 = now_ms(),
    _ = gen_tcp:send(Sock, Bytes),
    {Outcome, Got} = await_close(Sock, T0 + (?SETUPTIME + 2) * 1000, false,
                                 <<>>),
    gen_tcp:close(Sock),
    {Name, Outcome, now_ms() - T0, Got};
probe(_S, Port, {Name, post, What, _}) ->
    FakeName = "dsprobe_" ++ integer_to_list(
                                erlang:unique_integer([positive])),
    Opts = case What of
               {flags, F} -> #{flags => F};
               {cookie, C} -> #{cookie => C};
               {name, N} -> #{name => N};
               {atom_cache, _} -> #{flags => fake_flags() bor ?DFLAG_DIST_HDR_ATOM_CACHE};
               _ -> #{}
           end,
    T00 = now_ms(),
    case handshake(Port, maps:get(name, Opts, FakeName),
                   maps:get(flags, Opts, fake_flags()),
                   maps:get(cookie, Opts, atom_to_list(erlang:get_cookie())))
    of
        {ok, Sock, Creation} ->
            Me = fake_pid(list_to_binary(FakeName ++ "@" ++ host()), Creation),
            {Bytes, Ticks, Window} = post_bytes(What, Me),
            T0 = now_ms(),
            _ = gen_tcp:send(Sock, Bytes),
            {Outcome, Got} = await_close(Sock, T0 + Window, Ticks, <<>>),
            gen_tcp:close(Sock),
            {Name, Outcome, now_ms() - T0, Got};
        {error, Why} ->
            {Name, {refused, Why}, now_ms() - T00, <<>>}
    end.

%% {Bytes, SendTicks, WindowMs}.
post_bytes(ticks, _Me) ->
    {<<0:32>>, true, 2000};
post_bytes({atom_cache, set_then_use}, Me) ->
    %% Four new entries in four segments; the first message, to
    %% ds_probe_cached, is one it ignores; the second reaches it through the
    %% entries alone and ends it with reason probe_cached.
    MeB = strip(term_to_binary(Me)),
    Set = cache_section([{1, new, ''}, {258, new, ds_probe_cached},
                         {1027, new, exit}, {2047, new, probe_cached}]),
    Use = cache_section([{1027, old, exit}, {2047, old, probe_cached},
                         {1, old, ''}, {258, old, ds_probe_cached}]),
    {<<(frag(<<131, $D, Set/binary, 104, 4, 97, 6, MeB/binary, 82, 0, 82, 1,
               104, 3, 82, 2, 82, 3, 82, 1>>))/binary,
       (frag(<<131, $D, Use/binary, 104, 4, 97, 6, MeB/binary, 82, 2, 82, 3,
               104, 2, 82, 0, 82, 1>>))/binary>>, true, 2000};
post_bytes({atom_cache, unset_slot}, Me) ->
    MeB = strip(term_to_binary(Me)),
    Unset = cache_section([{1800, old, ds_probe_cached}]),
    {frag(<<131, $D, Unset/binary, 104, 4, 97, 6, MeB/binary, 119, 0, 82, 0,
            119, 1, $x>>), true, 2000};
post_bytes({_Option, _}, _Me) ->
    {<<0:32>>, true, 2000};
post_bytes(valid_message, Me) ->
    %% REG_SEND {6, From, '', ds_probe_target} of {exit, probe_ok}.
    {frame([{6, Me, '', ds_probe_target}, {exit, probe_ok}]), true, 2000};
post_bytes(random_frame, _Me) ->
    B = <<7, (rand_bytes(99))/binary>>,
    {<<(byte_size(B)):32, B/binary>>, true, 2000};
post_bytes(frame_2gib, _Me) ->
    {<<16#80000000:32, 131, $D, 0>>, false, tick_window()};
post_bytes(truncated_frame, _Me) ->
    {<<1000:32, 131, $D, 0, 1, 2, 3>>, false, tick_window()};
post_bytes(unknown_op, Me) ->
    {frame([{99, Me, x}]), true, 2000};
post_bytes(fragment_out_of_order, Me) ->
    %% A message in three fragments, the second left out.
    <<_, $D, 0, Body/binary>> = dist_body([{6, Me, '', ds_probe_target},
                                           binary:copy(<<"f">>, 300)]),
    <<F3:100/binary, _F2:100/binary, F1/binary>> = Body,
    Seq = 4711,
    {<<(frag(<<131, $E, Seq:64, 3:64, 0, F3/binary>>))/binary,
       (frag(<<131, $F, Seq:64, 1:64, F1/binary>>))/binary>>, true, 2000};
post_bytes(fragment_unknown, _Me) ->
    {frag(<<131, $F, 4712:64, 1:64, 131, 100, 0, 1, $x>>), true, 2000}.

tick_window() ->
    ?TICKTIME * 1250 + 2000.

frag(B) -> <<(byte_size(B)):32, B/binary>>.

frame(Terms) ->
    frag(dist_body(Terms)).

%% 131 'D' 0 (no atom cache references), then each term without its
%% version byte.
dist_body(Terms) ->
    <<131, $D, 0, (<< <<(strip(term_to_binary(T)))/binary>> || T <- Terms >>)/binary>>.

strip(<<131, B/binary>>) -> B.

%% A distribution header's atom cache section (what follows 131 'D') for
%% references [{Slot, new | old, Atom}], which terms then index in order.
cache_section(Refs) ->
    Halves = [case New of new -> 8; old -> 0 end bor (Slot bsr 8)
              || {Slot, New, _} <- Refs] ++ [0],
    Entries = << <<(Slot band 255),
                   (case New of
                        new -> <<(byte_size(T)), T/binary>>;
                        old -> <<>>
                    end)/binary>>
                 || {Slot, New, A} <- Refs, T <- [atom_to_binary(A, utf8)] >>,
    <<(length(Refs)), (flag_bytes(Halves))/binary, Entries/binary>>.

%% Half bytes, the first of each pair in the low half.
flag_bytes([]) -> <<>>;
flag_bytes([Lo]) -> <<0:4, Lo:4>>;
flag_bytes([Lo, Hi | Rest]) -> <<Hi:4, Lo:4, (flag_bytes(Rest))/binary>>.

fake_pid(Node, Creation) ->
    binary_to_term(<<131, 88, 119, (byte_size(Node)), Node/binary, 1:32, 0:32,
                     Creation:32>>).

%% The OTP 23 handshake as an initiator, with our cookie; the socket is then
%% raw. {ok, Socket, OurCreation} | {error, {status, Status} | Other}.
handshake(Port, Name, Flags, Cookie) ->
    Creation = 1,
    Full = list_to_binary(Name ++ "@" ++ host()),
    {ok, S} = gen_tcp:connect({127, 0, 0, 1}, Port,
                              [binary, {packet, 2}, {active, false},
                               {nodelay, true}]),
    Step = fun(Recv) -> gen_tcp:recv(S, 0, ?SETUPTIME * 1000 + 1000) =:= Recv
           end,
    ok = gen_tcp:send(S, send_name(Flags, Full)),
    case gen_tcp:recv(S, 0, ?SETUPTIME * 1000 + 1000) of
        {ok, <<$s, "ok">>} ->
            case gen_tcp:recv(S, 0, ?SETUPTIME * 1000 + 1000) of
                {ok, <<$N, _Flags:64, Challenge:32, _Cr:32, NL:16,
                       _Peer:NL/binary>>} ->
                    Mine = rand:uniform(1 bsl 32) - 1,
                    ok = gen_tcp:send(S, <<$r, Mine:32,
                                           (digest(Cookie, Challenge))/binary>>),
                    Ack = <<$a, (digest(Cookie, Mine))/binary>>,
                    case Step({ok, Ack}) of
                        true ->
                            ok = inet:setopts(S, [{packet, raw}]),
                            {ok, S, Creation};
                        false ->
                            gen_tcp:close(S),
                            {error, no_ack}
                    end;
                Other ->
                    gen_tcp:close(S),
                    {error, {challenge, Other}}
            end;
        {ok, <<$s, Status/binary>>} ->
            gen_tcp:close(S),
            {error, {status, binary_to_list(Status)}};
        Other ->
            gen_tcp:close(S),
            {error, {status, Other}}
    end.

digest(Cookie, Challenge) ->
    erlang:md5([Cookie, integer_to_list(Challenge)]).

%% Reads until the socket closes ({closed, Got}) or Deadline passes ({open,
%% Got}); with Ticks, sends a tick every second meanwhile.
await_close(Sock, Deadline, Ticks, Got) ->
    Left = Deadline - now_ms(),
    case Left =< 0 of
        true -> {open, Got};
        false ->
            case Ticks of
                true -> _ = gen_tcp:send(Sock, <<0:32>>);
                false -> ok
            end,
            case gen_tcp:recv(Sock, 0, min(Left, 1000)) of
                {ok, B} ->
                    await_close(Sock, Deadline, Ticks, keep(Got, B));
                {error, timeout} ->
                    await_close(Sock, Deadline, Ticks, Got);
                {error, closed} -> {closed, Got};
                {error, econnreset} -> {closed, Got}
            end
    end.

keep(Got, _B) when byte_size(Got) >= 64 -> Got;
keep(Got, B) ->
    All = <<Got/binary, B/binary>>,
    binary:part(All, 0, min(64, byte_size(All))).

%% A process here recording nodeup/nodedown of S (any type) until
%% node_events_stop/1.
node_events_start(S) ->
    Self = self(),
    Pid = spawn(fun() ->
                        ok = net_kernel:monitor_nodes(true, [{node_type, all}]),
                        Self ! {self(), ready},
                        node_events_loop(S, [])
                end),
    receive {Pid, ready} -> Pid end.

node_events_loop(S, Acc) ->
    receive
        {Ev, S, _} -> node_events_loop(S, [Ev | Acc]);
        {stop, From} -> From ! {self(), lists:reverse(Acc)};
        _ -> node_events_loop(S, Acc)
    end.

node_events_stop(Pid) ->
    Pid ! {stop, self()},
    receive {Pid, Evs} -> Evs after ?T -> no_answer end.

%%--------------------------------------------------------------------
%% 5. Half-open connections
%%--------------------------------------------------------------------

%% 200 TCP connections to the distribution port that never finish the
%% handshake (half send nothing, half part of a send_name): each is closed
%% by the node; the time from connect to close is measured for each (BEAM:
%% net_setuptime); rpc:call answers meanwhile and afterwards.
half_open(Config) ->
    {P, J} = nodes_of(Config),
    N = 200,
    Run = fun(S) ->
                  Port = dist_port(S),
                  Self = self(),
                  Conns = [spawn_monitor(fun() -> exit({done, half(Port, I)})
                                         end) || I <- lists:seq(1, N)],
                  During = spawn(fun() ->
                                         timer:sleep(1000),
                                         Self ! {during, timed(fun() -> rpc_ok(S) end)}
                                 end),
                  Times = [receive
                               {'DOWN', Ref, process, Pid, {done, T}} -> T;
                               {'DOWN', Ref, process, Pid, Other} -> {crashed, Other}
                           after 30000 -> timeout
                           end || {Pid, Ref} <- Conns],
                  {DuringMs, DuringRpc} = receive {during, D} -> D
                                          after ?CALL_T -> {?CALL_T, no_answer}
                                          end,
                  exit(During, kill),
                  {Times, DuringRpc, DuringMs, rpc_ok(S)}
          end,
    [{ok, {BT, BD, BDMs, BA}}, {ok, {RT, RD, RDMs, RA}}] =
        jinet_diff:parallel([fun() -> Run(P) end, fun() -> Run(J) end]),
    Closed = fun(Ts) -> [T || {closed, T} <- Ts] end,
    Summary = fun(Ts) ->
                      C = Closed(Ts),
                      {length(C), lists:min([infinity | C]),
                       lists:max([0 | C])}
              end,
    {BN, BMin, BMax} = Summary(BT),
    {RN, RMin, RMax} = Summary(RT),
    say("half_open: ~b connections each; closed by BEAM: ~b, after ~p..~p ms; "
        "by jinet: ~b, after ~p..~p ms (net_setuptime ~b s); rpc:call "
        "meanwhile took ~b ms (BEAM), ~b ms (jinet)",
        [N, BN, BMin, BMax, RN, RMin, RMax, ?SETUPTIME, BDMs, RDMs]),
    ct:comment("closed after ~p..~p ms (BEAM), ~p..~p ms (jinet)",
               [BMin, BMax, RMin, RMax]),
    Bound = (?SETUPTIME + 1) * 1000,
    Early = ?SETUPTIME * 1000 - 500,
    verdict(half_open, Config, [P, J],
            [{"connections closed by the node", BN, RN},
             {"not closed", [T || T <- BT, not is_tuple(T) orelse
                                               element(1, T) =/= closed],
              [T || T <- RT, not is_tuple(T) orelse
                                 element(1, T) =/= closed]},
             {"all closed within net_setuptime + 1 s", BMax =< Bound,
              RMax =< Bound},
             {"none closed before net_setuptime - 0.5 s", BMin >= Early,
              RMin >= Early},
             {"jinet closed all", N, RN},
             {"rpc:call while they are open", BD, RD},
             {"rpc:call afterwards", BA, RA}]).

%% {closed, MsFromConnectToClose} | open | {connect, Why}. Connections go
%% out in batches of 20, 10 ms apart (all 200 open within 0.1 s): a burst
%% of 200 at once overflows a 128-connection accept queue (BEAM's), the
%% kernel drops final ACKs, and a connection reaches the node a second
%% after connect/3 returned here.
half(Port, I) ->
    timer:sleep((I div 20) * 10),
    case gen_tcp:connect({127, 0, 0, 1}, Port, [binary, {active, false}],
                         5000) of
        {ok, S} ->
            T0 = now_ms(),
            case I rem 2 of
                0 -> ok;
                1 -> gen_tcp:send(S, <<0, 30, $N, 0, 0, 0>>)
            end,
            R = case gen_tcp:recv(S, 0, (?SETUPTIME + 4) * 1000) of
                    {error, closed} -> {closed, now_ms() - T0};
                    {error, econnreset} -> {closed, now_ms() - T0};
                    {ok, B} -> {data, B};
                    {error, timeout} -> open
                end,
            gen_tcp:close(S),
            R;
        {error, Why} ->
            {connect, Why}
    end.

%%--------------------------------------------------------------------
%% 6. Fragments
%%--------------------------------------------------------------------

%% A 64 MB binary sent to a watcher (jinet_node:watch, or the stand-in on
%% P), which sends it back: the same binary comes back. And a process
%% (jinet_node:idle / the stand-in) exits with a 100 kB reason: a monitor
%% here sees that reason.
fragments(Config) ->
    {P, J} = nodes_of(Config),
    Big = crypto:strong_rand_bytes(64 bsl 20),
    Reason = {shutdown, {crypto:strong_rand_bytes(100000),
                         lists:seq(1, 200), "unicode ü€"}},
    Target = spawn(fun() -> receive stop -> ok end end),
    Run = fun(S) ->
                  {W, _Ref} = watch_on(S, Target, self()),
                  {Ms, Back} = timed(fun() ->
                                             W ! {big, Big},
                                             receive
                                                 {jinet_watch, W, {big, B}} -> B
                                             after 60000 -> no_answer
                                             end
                                     end),
                  W ! demonitor,
                  I = new_idle(S, undefined),
                  Mon = erlang:monitor(process, I),
                  I ! {exit, Reason},
                  Down = receive
                             {'DOWN', Mon, process, I, Why} -> Why
                         after ?T -> no_down
                         end,
                  {Ms, [{"64 MB binary back, the same", Back =:= Big},
                        {"its size", case Back of
                                         _ when is_binary(Back) -> byte_size(Back);
                                         _ -> Back
                                     end},
                        {"100 kB exit reason seen by a monitor here, the same",
                         Down =:= Reason},
                        {"the reason's size", erlang:external_size(Down)},
                        {"rpc:call afterwards", rpc_ok(S)}]}
          end,
    {MsB, B} = Run(P),
    {MsR, R} = Run(J),
    Target ! stop,
    say("fragments: 64 MB round trip took ~b ms (BEAM), ~b ms (jinet)",
        [MsB, MsR]),
    verdict(fragments, Config, [P, J],
            [{W, VB, VR} || {{W, VB}, {W, VR}} <- lists:zip(B, R)] ++
                [{"jinet: the binary came back", true,
                  proplists:get_value("64 MB binary back, the same", R)}]).

%%--------------------------------------------------------------------
%% Run on the BEAM nodes
%%--------------------------------------------------------------------

%% The stand-in for jinet_node:watch/2: a new process monitors Target and
%% sends every message it gets to ReportTo as {jinet_watch, Self, Msg};
%% it ends after a 'DOWN', or when sent demonitor. {Pid, MonitorRef}.
watch(Target, ReportTo) ->
    Parent = self(),
    Tag = make_ref(),
    Pid = spawn(fun() ->
                        Ref = erlang:monitor(process, Target),
                        Parent ! {Tag, Ref},
                        watch_loop(Ref, ReportTo)
                end),
    receive {Tag, Ref} -> {Pid, Ref} end.

watch_loop(Ref, ReportTo) ->
    receive
        demonitor ->
            erlang:demonitor(Ref, [flush]);
        {'DOWN', Ref, _, _, _} = M ->
            ReportTo ! {jinet_watch, self(), M};
        M ->
            ReportTo ! {jinet_watch, self(), M},
            watch_loop(Ref, ReportTo)
    end.

%% The stand-in for jinet_node:idle/1: a process that waits for
%% {exit, Reason}, registered as Name unless Name is undefined.
start_idle(Name) ->
    Pid = spawn(fun idle_loop/0),
    Name =:= undefined orelse register(Name, Pid),
    Pid.

idle_loop() ->
    receive
        {exit, R} -> exit(R);
        _ -> idle_loop()
    end.

%% A process, registered as ds_recorder, that keeps this node's nodeup and
%% nodedown events (all node types) until recorder_take/0.
recorder_start() ->
    Parent = self(),
    Pid = spawn(fun() ->
                        ok = net_kernel:monitor_nodes(true,
                                                      [{node_type, all}]),
                        Parent ! {self(), ready},
                        recorder_loop([])
                end),
    register(ds_recorder, Pid),
    receive {Pid, ready} -> ok end.

recorder_loop(Events) ->
    receive
        {Ev, Node, _Info} when Ev =:= nodeup; Ev =:= nodedown ->
            recorder_loop([{Ev, Node} | Events]);
        {take, From} ->
            From ! {ds_recorder, lists:reverse(Events)},
            recorder_loop([])
    end.

recorder_take() ->
    ds_recorder ! {take, self()},
    receive {ds_recorder, Events} -> Events after 5000 -> timeout end.

%% A process that keeps whatever it is sent (read with process_info).
collector_start() ->
    spawn(fun() -> receive {'$ds_never', _} -> ok end end).

%%--------------------------------------------------------------------
%% Helpers
%%--------------------------------------------------------------------

nodes_of(Config) ->
    {?config(pnode, Config), ?config(jnode, Config)}.

new_idle(S, Name) ->
    case jinet_node(S) of
        true -> erpc:call(S, jinet_node, idle, [Name], ?CALL_T);
        false -> erpc:call(S, ?MODULE, start_idle, [Name], ?CALL_T)
    end.

rpc_ok(S) ->
    rpc:call(S, inet, parse_address, ["1.2.3.4"], ?CALL_T).

host() ->
    [_, H] = string:split(atom_to_list(node()), "@"),
    H.

%% Until every thread of OS process Pid is stopped (state T in
%% /proc/Pid/task/*/stat), at most Ms ms.
wait_stopped(Pid, Ms) when Ms =< 0 ->
    {not_stopped, Pid};
wait_stopped(Pid, Ms) ->
    Tasks = filelib:wildcard("/proc/" ++ Pid ++ "/task/*/stat"),
    States = [task_state(F) || F <- Tasks],
    case States =/= [] andalso lists:all(fun(S) -> S =:= $T orelse S =:= $t end, States) of
        true -> ok;
        false -> timer:sleep(5), wait_stopped(Pid, Ms - 5)
    end.

task_state(StatFile) ->
    case file:read_file(StatFile) of
        {ok, B} ->
            %% "pid (comm) S ...": the state follows the last ')'
            [_, Rest] = string:split(binary_to_list(B), ")", trailing),
            hd(string:trim(Rest, leading));
        {error, _} ->
            $T % the thread is gone: it runs no more
    end.

now_ms() ->
    erlang:monotonic_time(millisecond).

timed(Fun) ->
    T0 = now_ms(),
    V = Fun(),
    {now_ms() - T0, V}.


%%--------------------------------------------------------------------
%% Comparing and reporting
%%--------------------------------------------------------------------

%% Checks, as jinet_diff:verdict/3 takes them (pids and references paired
%% position by position), between the BEAM peer and jinet.
verdict(Case, _Config, Nodes, Checks) ->
    jinet_diff:verdict(Case, Nodes, Checks).

say(Format, Args) ->
    jinet_diff:log(Format, Args),
    io:format(user, Format ++ "~n", Args).
