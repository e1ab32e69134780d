%% jinet_node_bench: the driver of bin/bench-node.
%%
%% Measures a node as a whole rather than its calls: memory, start-up,
%% half-open and surplus connections, a peer that falls silent, a long run and
%% bursts. Each measure starts a fresh jinet node (bin/jinet) and a fresh BEAM
%% node (erl -sname ... -noshell) in the same role, with the same flags, one
%% after the other, and yields rows of one table: measure, jinet, BEAM, ratio
%% (jinet / BEAM), target (for jinet), met. See README.md next to this file.
%%
%% Started by bin/bench-node as
%%   erl -noshell -hidden -sname ... -pa DIR -run jinet_node_bench main key=value ...
%% with jinet_bench (whose statistics and formatting helpers it uses) in DIR.
%% All traffic goes to nodes on this host; extra connections go to 127.0.0.1.
-module(jinet_node_bench).

-export([main/1]).
%% The measures, run by run_measure/3.
-export([measure/2, bound/2, describe/2]).
%% Runs on a BEAM node under test (silent peer), loaded there by the driver.
-export([watch_forward/2]).
%% Helpers shared with jinet_socket_bench (bin/bench-sockets), which compiles
%% and loads this module next to its own; a node is an #nd{}
%% (jinet_node_bench.hrl).
-export([run_main/2, config/5, init_nodes/0, run_measure/3, start_node/4, start_node/5, stop_node/1,
         one_call/1, cleanup_nodes/0, load_code/2, sample/1,
         fd_limit/1, start_sampler/3, start_prober/2, stop_collector/1, p99/1,
         p50/1, max_of/2, mb/1, k/1, names/1, now_ms/0, secs/1,
         clk_tck/0, row/6, table/2, tsv_rows/1, out_files/1]).

-import(jinet_bench, [fatal/2, full_node/2, connect/1, cpu_ticks/1, percentiles/3,
                      median/1, ratio/2, fmt_num/1, fmt_ratio/1, fmt_s/1, tsv/1]).

-include("jinet_node_bench.hrl").

-define(ADDR, "192.168.42.2").
-define(ANSWER, {ok, {192, 168, 42, 2}}).
-define(MEASURES, [rss, startup, halfopen, exhaust, silent, soak, burst]).
-define(NODES, jinet_node_bench_nodes).

%%====================================================================
%% entry point
%%====================================================================

main(Args) ->
    run_main("bench-node", fun() -> run(parse_args(Args)) end).

%% Runs a bench tool's Fun: a fatal error or a crash ends it with a message
%% and a status of its own, and the nodes it started are stopped either way.
run_main(Tool, Fun) ->
    Code =
        try
            Fun(),
            0
        catch
            throw:{fatal, Msg} ->
                io:format(standard_error, "~s: ERROR: ~ts~n", [Tool, Msg]),
                2;
            C:R:St ->
                io:format(standard_error, "~s: CRASH: ~p:~p~n~p~n", [Tool, C, R, St]),
                3
        end,
    cleanup_nodes(),
    halt(Code).

%%====================================================================
%% configuration
%%====================================================================

defaults() ->
    #{measures => "rss,startup,halfopen,exhaust,silent,soak,burst",
      quick => "0",
      jinet_cmd => "bin/jinet",
      tmp => "/tmp",
      pids_file => "",        % OS pids of started nodes, for bin/bench-node's clean-up
      out => "",
      cmdline => "",
      idle => "5",            % s idle before sampling RSS
      startup_runs => "5",
      halfopen => "1000",     % half-open connections
      halfopen_kind => "mixed",   % silent | partial | mixed
      setuptime => "7",       % -kernel net_setuptime for the half-open nodes (BEAM's default)
      probe_ms => "1",        % pause between latency probes
      window => "2",          % s of idle latency probes before opening
      fd_limit => "256",      % ulimit -n of the exhaustion nodes
      recover_timeout => "30",
      ticktime => "8",        % -kernel net_ticktime for the silent-peer nodes
      soak_calls => "1000000",
      soak_callers => "16",
      soak_timeout => "600",
      burst_calls => "10000",
      digits => "10000000",
      start_timeout => "120",
      tag => ""}.             % ends every node name (bin/bench-node's clean-up)

parse_args(Args) ->
    M = config(Args, defaults(), ?MEASURES,
               [startup_runs, halfopen, probe_ms, fd_limit, ticktime, soak_calls,
                soak_callers, burst_calls, digits],
               [idle, setuptime, window, recover_timeout, soak_timeout, start_timeout]),
    Kind = list_to_atom(maps:get(halfopen_kind, M)),
    lists:member(Kind, [silent, partial, mixed])
        orelse fatal("halfopen_kind must be silent, partial or mixed", []),
    M#{halfopen_kind := Kind}.

%% A bench tool's configuration: its key=value arguments over Defaults, the
%% Ints and Nums keys as numbers, the measures among Known; quick, tag (this
%% run's node name suffix) and host filled in.
config(Args, Defaults, Known, Ints, Nums) ->
    M = lists:foldl(
          fun(A, Acc) ->
                  case string:split(A, "=") of
                      [K, V] ->
                          Key = list_to_atom(K),
                          maps:is_key(Key, Acc) orelse fatal("unknown key ~s", [K]),
                          Acc#{Key := V};
                      _ -> fatal("bad argument ~p (want key=value)", [A])
                  end
          end, Defaults, Args),
    Measures = [measure_name(X, Known) || X <- string:lexemes(maps:get(measures, M), ", ")],
    M1 = lists:foldl(fun(K, Acc) -> Acc#{K := int(K, maps:get(K, Acc))} end, M, Ints),
    M2 = lists:foldl(fun(K, Acc) -> Acc#{K := num(K, maps:get(K, Acc))} end, M1, Nums),
    M2#{measures := Measures, quick := maps:get(quick, M) =:= "1",
        tag := case maps:get(tag, M) of "" -> os:getpid(); T -> T end,
        host => lists:last(string:split(atom_to_list(node()), "@"))}.

measure_name(S, Known) ->
    A = list_to_atom(S),
    lists:member(A, Known) orelse fatal("unknown measure ~s (~s)", [S, names(Known)]),
    A.


names(L) -> lists:join(" ", [atom_to_list(X) || X <- L]).

int(K, S) ->
    case string:to_integer(S) of
        {I, ""} when I >= 0 -> I;
        _ -> fatal("~s: not a non-negative integer: ~p", [K, S])
    end.

num(K, S) ->
    case string:to_float(S) of
        {F, ""} when F >= 0 -> F;
        _ -> float(int(K, S))
    end.

%%====================================================================
%% the run
%%====================================================================

run(Cfg) ->
    init_nodes(),
    T0 = erlang:monotonic_time(millisecond),
    print_header(Cfg),
    Rows = lists:append([run_measure(?MODULE, M, Cfg) || M <- maps:get(measures, Cfg)]),
    Table = table("the node", Rows),
    io:format("~n~ts", [Table]),
    {TxtFile, TsvFile} = out_files(Cfg),
    ok = file:write_file(TxtFile, unicode:characters_to_binary([header_text(Cfg), "\n", Table])),
    ok = file:write_file(TsvFile, unicode:characters_to_binary(tsv_rows(Rows))),
    io:format("~nresults: ~ts~n         ~ts~n", [TxtFile, TsvFile]),
    receive {soak_file, SF} -> io:format("         ~ts~n", [SF]) after 0 -> ok end,
    io:format("run time: ~.1f s~n", [(erlang:monotonic_time(millisecond) - T0) / 1000]).

%% The table of the nodes the driver started (start_node/4,5).
init_nodes() ->
    ets:new(?NODES, [named_table, public, {keypos, #nd.ospid}]),
    ok.

%% A measure runs in a process of its own, bounded in time (Mod:bound/2 s);
%% whatever happens, the nodes it started are stopped afterwards. Mod:measure/2
%% returns the measure's rows (row/6), Mod:describe/2 says what it does.
run_measure(Mod, M, Cfg) ->
    Bound = Mod:bound(M, Cfg),
    io:format("~n== ~s (~s; at most ~b s) ==~n", [M, Mod:describe(M, Cfg), round(Bound)]),
    Self = self(),
    {Pid, MRef} = spawn_monitor(fun() -> exit({rows, Mod:measure(M, Cfg#{driver => Self})}) end),
    Rows = receive
               {'DOWN', MRef, process, Pid, {rows, R}} ->
                   R;
               {'DOWN', MRef, process, Pid, Why} ->
                   io:format("~s: FAILED: ~ts~n", [M, why(Why)]),
                   [row(M, "FAILED: " ++ why(Why), undefined, undefined, "", none)]
           after round(Bound * 1000) ->
                   exit(Pid, kill),
                   io:format("~s: did not finish within ~b s, stopped~n", [M, round(Bound)]),
                   [row(M, "did not finish in time", undefined, undefined, "", none)]
           end,
    cleanup_nodes(),
    Rows.

why({{nocatch, {fatal, Msg}}, _}) -> Msg;
why(Other) -> lists:flatten(io_lib:format("~0p", [Other])).

%% Upper bounds, s, generous: the measure is stopped when it exceeds it.
bound(M, Cfg) ->
    #{start_timeout := ST} = Cfg,
    Start = 2 * ST,   % starting and stopping a pair of nodes, at most
    Start + 30 +
        case M of
            rss -> maps:get(idle, Cfg);
            startup -> (maps:get(startup_runs, Cfg) + 1) * 2 * 30;
            halfopen -> 2 * (maps:get(window, Cfg) + 3 * maps:get(setuptime, Cfg) + 90);
            exhaust -> 2 * (maps:get(recover_timeout, Cfg) + 90) + Start;
            silent -> 2 * (3 * maps:get(ticktime, Cfg) + 30) + Start;
            soak -> 2 * (maps:get(soak_timeout, Cfg) + 30);
            burst -> 2 * (120 + 180 + 30)
        end.

describe(rss, Cfg) ->
    io_lib:format("idle RSS after one call and ~ss idle", [fmt_s(maps:get(idle, Cfg))]);
describe(startup, Cfg) ->
    io_lib:format("exec to ready, median of ~b runs after a warm-up run", [maps:get(startup_runs, Cfg)]);
describe(halfopen, Cfg) ->
    io_lib:format("~b ~s half-open connections, -kernel net_setuptime ~s",
                  [maps:get(halfopen, Cfg), maps:get(halfopen_kind, Cfg), fmt_s(maps:get(setuptime, Cfg))]);
describe(exhaust, Cfg) ->
    io_lib:format("ulimit -n ~b, connections until the node stops accepting", [maps:get(fd_limit, Cfg)]);
describe(silent, Cfg) ->
    io_lib:format("peer stopped with SIGSTOP, -kernel net_ticktime ~b", [maps:get(ticktime, Cfg)]);
describe(soak, Cfg) ->
    io_lib:format("~b calls of parse_address from ~b callers",
                  [maps:get(soak_calls, Cfg), maps:get(soak_callers, Cfg)]);
describe(burst, Cfg) ->
    io_lib:format("~b concurrent erpc:call, parse_address of ~b digits",
                  [maps:get(burst_calls, Cfg), maps:get(digits, Cfg)]).

%%====================================================================
%% the measures; each returns rows
%%====================================================================

measure(rss, Cfg) ->
    J = start_node(jinet, "bn_rss_j", [], Cfg),
    B = start_node(beam, "bn_rss_b", [], Cfg),
    [one_call(N) || N <- [J, B]],
    io:format("both nodes served a call; idle for ~ss~n", [fmt_s(maps:get(idle, Cfg))]),
    timer:sleep(round(maps:get(idle, Cfg) * 1000)),
    SJ = sample(J#nd.ospid),
    SB = sample(B#nd.ospid),
    [stop_node(N) || N <- [J, B]],
    [row(rss, "idle RSS (MB)", mb(SJ), mb(SB), "<= 1.5x BEAM", ratio_at_most(1.5)),
     row(rss, "idle threads", maps:get(threads, SJ), maps:get(threads, SB), "", none),
     row(rss, "idle descriptors", maps:get(fds, SJ), maps:get(fds, SB), "", none)];

measure(startup, Cfg) ->
    N = maps:get(startup_runs, Cfg),
    io:format("warm-up run of each (not counted)~n"),
    _ = startup_run(jinet, 0, Cfg),
    _ = startup_run(beam, 0, Cfg),
    Runs = [begin
                TJ = startup_run(jinet, I, Cfg),
                TB = startup_run(beam, I, Cfg),
                io:format("run ~b/~b: jinet ~.3f s, BEAM ~.3f s~n", [I, N, TJ, TB]),
                {TJ, TB}
            end || I <- lists:seq(1, N)],
    {Js, Bs} = lists:unzip(Runs),
    Label = io_lib:format("start-up, median of ~b (s)", [N]),
    [row(startup, Label, median(Js), median(Bs), "<= 1.5x BEAM", ratio_at_most(1.5)),
     row(startup, "start-up, min..max (s)", range(Js), range(Bs), "", none)];

measure(halfopen, Cfg) ->
    R = #{jinet => halfopen_side(jinet, Cfg), beam => halfopen_side(beam, Cfg)},
    K = maps:get(halfopen, Cfg),
    ST = maps:get(setuptime, Cfg),
    G = fun(Key) -> {maps:get(Key, maps:get(jinet, R)), maps:get(Key, maps:get(beam, R))} end,
    Row = fun(Label, Key, Target, Check) -> {J, B} = G(Key), row(halfopen, Label, J, B, Target, Check) end,
    [Row(io_lib:format("connections opened (of ~b)", [K]), opened, io_lib:format("~b", [K]),
         fun(J, _) -> J =:= K end),
     Row("time to open them (s)", open_s, "", none),
     Row("slowest connect (ms)", slowest_connect, "", none),
     Row("threads idle", threads_idle, "", none),
     Row("threads, max while open", threads_max, "= idle (fixed)",
         fun(J, _) -> J =< maps:get(threads_idle, maps:get(jinet, R)) end),
     Row("threads after", threads_after, "= idle",
         fun(J, _) -> J =< maps:get(threads_idle, maps:get(jinet, R)) end),
     Row("descriptors idle", fds_idle, "", none),
     Row("descriptors, max while open", fds_max, "", none),
     Row("descriptors after", fds_after, "= idle",
         fun(J, _) -> J =< maps:get(fds_idle, maps:get(jinet, R)) end),
     Row("closed by the node", closed, io_lib:format("~b", [K]), fun(J, _) -> J =:= K end),
     Row("closed after, median (s)", close_med, "", none),
     Row("closed after, max (s)", close_max,
         io_lib:format("<= setuptime + 1 (~s)", [fmt_s(ST + 1)]),
         fun(J, _) -> is_number(J) andalso J =< ST + 1 end),
     Row("call p99 idle (us)", p99_idle, "", none),
     Row("call p99 while opening them (us)", p99_opening, "", none),
     Row("call p99 while all open (us)", p99_open, "", none),
     Row("call p99 while all open / idle", p99_factor, "<= 2", fun(J, _) -> is_number(J) andalso J =< 2 end),
     Row("call p50 while all open / idle", p50_factor, "", none),
     Row("calls from opening to closed: ok / failed", calls_open, "0 failed",
         fun(_, _) -> maps:get(failed_open, maps:get(jinet, R)) =:= 0 end)];

measure(exhaust, Cfg) ->
    R = #{jinet => exhaust_side(jinet, Cfg), beam => exhaust_side(beam, Cfg)},
    G = fun(Key) -> {maps:get(Key, maps:get(jinet, R)), maps:get(Key, maps:get(beam, R))} end,
    Row = fun(Label, Key, Target, Check) -> {J, B} = G(Key), row(exhaust, Label, J, B, Target, Check) end,
    [Row("descriptor limit (soft/hard)", limit, "", none),
     Row("connections opened", opened, "", none),
     Row("descriptors, max", fds_peak, "", none),
     Row("stopped opening because", why, "", none),
     Row("call on an existing connection meanwhile", existing, "ok", fun(J, _) -> J =:= "ok" end),
     Row("ping from a new node after closing (s)", recovered, "<= 1.5 s", fun(J, _) -> is_number(J) andalso J =< 1.5 end),
     Row("rpc:call from it then", call_after, "ok", fun(J, _) -> J =:= "ok" end),
     Row("node alive at the end", alive, "yes", fun(J, _) -> J =:= "yes" end),
     Row("node logged too many open files", logged, "", none)];

measure(silent, Cfg) ->
    T = maps:get(ticktime, Cfg),
    R = #{jinet => silent_side(jinet, Cfg), beam => silent_side(beam, Cfg)},
    G = fun(Key) -> {maps:get(Key, maps:get(jinet, R)), maps:get(Key, maps:get(beam, R))} end,
    Row = fun(Label, Key, Target, Check) -> {J, B} = G(Key), row(silent, Label, J, B, Target, Check) end,
    [Row(io_lib:format("peer DOWN after SIGSTOP (s), ticktime ~b", [T]), down,
         io_lib:format("<= 1.25 x ticktime (~s)", [fmt_s(1.25 * T)]),
         fun(J, _) -> is_number(J) andalso J =< 1.25 * T end),
     Row("DOWN reason", reason, "noconnection", fun(J, _) -> J =:= "noconnection" end),
     Row("calls to the node meanwhile: ok / failed", calls, "0 failed",
         fun(_, _) -> maps:get(failed, maps:get(jinet, R)) =:= 0 end)];

measure(soak, Cfg) ->
    R = #{jinet => soak_side(jinet, Cfg), beam => soak_side(beam, Cfg)},
    G = fun(Key) -> {maps:get(Key, maps:get(jinet, R)), maps:get(Key, maps:get(beam, R))} end,
    Row = fun(Label, Key, Target, Check) -> {J, B} = G(Key), row(soak, Label, J, B, Target, Check) end,
    JR = maps:get(jinet, R),
    [Row("calls done", calls, io_lib:format("~b", [maps:get(soak_calls, Cfg)]),
         fun(J, _) -> J =:= maps:get(soak_calls, Cfg) end),
     Row("failed calls", errors, "0", fun(J, _) -> J =:= 0 end),
     Row("calls/s", tput, "", none),
     Row("server CPU per call (us)", cpu_per_call, "", none),
     Row("RSS start (MB)", rss_start, "", none),
     Row("RSS max (MB)", rss_max, "<= 1.5x BEAM", ratio_at_most(1.5)),
     Row("RSS end (MB)", rss_end, "", none),
     Row("RSS growth in the 2nd half (%)", rss_growth, "<= 5",
         fun(J, _) -> is_number(J) andalso J =< 5 end),
     Row("threads start", threads_start, "", none),
     Row("threads max", threads_max, "", none),
     Row("threads end", threads_end, "", none),
     Row("descriptors start", fds_start, "", none),
     Row("descriptors max", fds_max, "", none),
     Row("descriptors end", fds_end, "= start", fun(J, _) -> J =< maps:get(fds_start, JR) end)];

measure(burst, Cfg) ->
    R = #{jinet => burst_side(jinet, Cfg), beam => burst_side(beam, Cfg)},
    G = fun(Key) -> {maps:get(Key, maps:get(jinet, R)), maps:get(Key, maps:get(beam, R))} end,
    Row = fun(Label, Key, Target, Check) -> {J, B} = G(Key), row(burst, Label, J, B, Target, Check) end,
    [Row(io_lib:format("~b concurrent erpc:call (s)", [maps:get(burst_calls, Cfg)]), erpc_s,
         "<= 1.5x BEAM", ratio_at_most(1.5)),
     Row("  of which failed", erpc_failed, "0", fun(J, _) -> J =:= 0 end),
     Row("  the same burst again (s)", erpc_again_s, "", none),
     Row(io_lib:format("parse_address of ~s digits (s)", [digits(maps:get(digits, Cfg))]), big_s,
         "<= 1.5x BEAM", ratio_at_most(1.5)),
     Row("  its answer", big_answer, "= BEAM's", fun(J, B) -> J =:= B end)].

digits(N) when N >= 1000000, N rem 1000000 =:= 0 -> integer_to_list(N div 1000000) ++ "M";
digits(N) -> integer_to_list(N).

range([]) -> undefined;
range(L) -> io_lib:format("~.3f..~.3f", [lists:min(L), lists:max(L)]).

mb(#{rss_kb := K}) when is_integer(K) -> K / 1024;
mb(_) -> undefined.

%%--------------------------------------------------------------------
%% start-up
%%--------------------------------------------------------------------

%% jinet: exec of bin/jinet to its ready line; BEAM: exec of
%% erl -sname X -noshell -eval 'halt().' to its exit.
startup_run(jinet, I, Cfg) ->
    N = start_node(jinet, "bn_st_j" ++ integer_to_list(I), [], Cfg),
    T = secs(N#nd.t_ready - N#nd.t0),
    Kids = descendants(N#nd.ospid),
    stop_node(N),
    %% anything jinet's start-up left running (its child processes) ends
    %% before the next run
    wait_gone(Kids, 10000),
    T;
startup_run(beam, I, Cfg) ->
    N = start_node(beam_halt, "bn_st_b" ++ integer_to_list(I), [], Cfg),
    T = secs(N#nd.t_ready - N#nd.t0),
    unregister_node(N),
    T.

%%--------------------------------------------------------------------
%% half-open connections
%%--------------------------------------------------------------------

halfopen_side(Kind, Cfg) ->
    #{setuptime := ST, halfopen := K, halfopen_kind := CK, probe_ms := PMs, window := Win} = Cfg,
    N = start_node(Kind, "bn_ho_" ++ k(Kind), ["-kernel", "net_setuptime", fmt_s(ST)], Cfg),
    one_call(N),
    Port = dist_port(N),
    Os = N#nd.ospid,
    Sampler = start_sampler(Os, 200, fun() -> 0 end),
    Prober = start_prober(N#nd.name, PMs),
    timer:sleep(round(Win * 1000)),
    TOpen = now_ms(),
    erase(slowest_connect_ms),
    {Hs, Failed} = open_paced(Port, K, CK, Os, fd_count(Os), [], 0),
    TOpened = now_ms(),
    io:format("~s: ~b connections open (~b failed) in ~.2f s; waiting up to ~s s for the node "
              "to close them~n", [Kind, length(Hs), Failed, (TOpened - TOpen) / 1000,
                                  fmt_s(3 * ST)]),
    Deadline = TOpened + round(3 * ST * 1000),
    Opened = maps:from_list([{H, T} || {H, T} <- Hs]),
    {Closed, Open} = collect_closes(Opened, #{}, Deadline),
    TEnd = now_ms(),
    close_all(maps:keys(Open)),
    timer:sleep(1000),
    After = sample(Os),
    Samples = stop_collector(Sampler),
    Lats = stop_collector(Prober),
    stop_node(N),
    flush_closes(),
    Delays = [(TC - maps:get(H, Opened)) / 1000 || {H, TC} <- maps:to_list(Closed)],
    FirstClose = lists:min([TEnd | maps:values(Closed)]),
    %% "all open": from the last connect until the node closes the first
    %% one, at most as long as the idle window
    OpenEnd = min(FirstClose, TOpened + round(Win * 1000)),
    Idle = [S || {T, S} <- Samples, T < TOpen],
    While = [S || {T, S} <- Samples, T >= TOpen, T =< TEnd],
    LIdle = [L || {T, L, ok} <- Lats, T < TOpen],
    LOpening = [L || {T, L, ok} <- Lats, T >= TOpen, T < TOpened],
    LOpen = [L || {T, L, ok} <- Lats, T >= TOpened, T < OpenEnd],
    OkOpen = length([x || {T, _, ok} <- Lats, T >= TOpen, T < TEnd]),
    FOpen = length([x || {T, _, failed} <- Lats, T >= TOpen, T < TEnd]),
    P99I = p99(LIdle),
    P99O = p99(LOpen),
    Res = #{opened => length(Hs), open_s => (TOpened - TOpen) / 1000,
            slowest_connect => get(slowest_connect_ms),
            threads_idle => max_of(threads, Idle), threads_max => max_of(threads, While),
            threads_after => maps:get(threads, After),
            fds_idle => max_of(fds, Idle), fds_max => max_of(fds, While),
            fds_after => maps:get(fds, After),
            closed => maps:size(Closed),
            close_med => case Delays of [] -> "never"; _ -> median(Delays) end,
            close_max => case {Delays, maps:size(Open)} of
                             {[], _} -> "never";
                             {_, 0} -> lists:max(Delays);
                             _ -> "never (some)"
                         end,
            p99_idle => P99I, p99_opening => p99(LOpening), p99_open => P99O,
            p99_factor => ratio(P99O, P99I),
            p50_factor => ratio(p50(LOpen), p50(LIdle)),
            calls_open => io_lib:format("~b / ~b", [OkOpen, FOpen]),
            failed_open => FOpen},
    io:format("~s: closed by the node ~b/~b, threads ~p -> ~p -> ~p, p99 idle ~s us, "
              "while all open ~s us~n",
              [Kind, maps:size(Closed), length(Hs), maps:get(threads_idle, Res),
               maps:get(threads_max, Res), maps:get(threads_after, Res),
               fmt_num(P99I), fmt_num(P99O)]),
    Res.

%% Opens K connections in chunks of 50 (4 connects in flight), and after each
%% chunk waits (up to 1 s) until the node holds a descriptor for each: a
%% connect completes once the kernel has queued it, and the client, much
%% faster than any node's acceptor, would overflow the listen backlog, after
%% which dropped SYNs are retried after 1 s.
open_paced(_, 0, _, _, _, Acc, F) ->
    {Acc, F};
open_paced(Port, K, CK, Os, Base, Acc, F) ->
    C = min(50, K),
    {Hs, Failed} = open_conns(Port, C, CK, 4, 5000),
    Acc1 = Acc ++ Hs,
    wait_fds(Os, Base + length(Acc1), now_ms() + 1000),
    open_paced(Port, K - C, CK, Os, Base, Acc1, F + Failed).

wait_fds(Os, Want, Deadline) ->
    case fd_count(Os) of
        N when is_integer(N), N < Want ->
            case now_ms() < Deadline of
                true -> timer:sleep(5), wait_fds(Os, Want, Deadline);
                false -> ok
            end;
        _ -> ok
    end.

k(jinet) -> "j";
k(beam) -> "b".

p99([]) -> undefined;
p99(L) ->
    [P] = percentiles(lists:sort(L), length(L), [0.99]),
    P.

p50([]) -> undefined;
p50(L) ->
    [P] = percentiles(lists:sort(L), length(L), [0.5]),
    P.

max_of(Key, Samples) ->
    case [V || S <- Samples, V <- [maps:get(Key, S)], is_integer(V)] of
        [] -> undefined;
        Vs -> lists:max(Vs)
    end.

%% Waits for the node to close connections; returns {Closed, StillOpen}, maps
%% of holder => close time / connect time.
collect_closes(Open, Closed, _) when map_size(Open) =:= 0 ->
    {Closed, Open};
collect_closes(Open, Closed, Deadline) ->
    Wait = max(0, Deadline - now_ms()),
    receive
        {conn_closed, H, T} when is_map_key(H, Open) ->
            collect_closes(maps:remove(H, Open), Closed#{H => T}, Deadline)
    after Wait ->
            {Closed, Open}
    end.

flush_closes() ->
    receive {conn_closed, _, _} -> flush_closes() after 0 -> ok end.

%% The distribution port the node registered with EPMD.
dist_port(#nd{short = Short}) ->
    case erl_epmd:port_please(Short, {127, 0, 0, 1}) of
        {port, P, _} -> P;
        Other -> fatal("EPMD has no port for ~s: ~p", [Short, Other])
    end.

%% Opens K connections to 127.0.0.1:Port, Par at a time, each held by a
%% process of its own that reports {conn_closed, Holder, Time} to the caller
%% when the other end closes it. Kind silent: connect, send nothing; partial:
%% send the first 7 bytes of a send_name; mixed: alternate.
%% Returns {[{Holder, ConnectedAtMs}], Failures}.
open_conns(Port, K, Kind, Par, Timeout) ->
    Owner = self(),
    Ws = [spawn_link(fun() ->
                             Rs = [open_one(Owner, Port, conn_kind(Kind, I), Timeout)
                                   || I <- lists:seq(W, K, Par)],
                             Owner ! {opened, self(), Rs}
                     end) || W <- lists:seq(1, min(Par, K))],
    Rs = lists:append([receive {opened, W, R} -> R end || W <- Ws]),
    Slowest = lists:max([0 | [D || {ok, _, _, D} <- Rs]]),
    put(slowest_connect_ms, max(Slowest, case get(slowest_connect_ms) of undefined -> 0; X -> X end)),
    {[{H, T} || {ok, H, T, _} <- Rs], length([x || {failed, _} <- Rs])}.

conn_kind(mixed, I) when I rem 2 =:= 0 -> partial;
conn_kind(mixed, _) -> silent;
conn_kind(K, _) -> K.

open_one(Owner, Port, Kind, Timeout) ->
    Me = self(),
    H = spawn(fun() -> holder(Owner, Me, Port, Kind, Timeout) end),
    receive {H, R} -> R end.

holder(Owner, Opener, Port, Kind, Timeout) ->
    T0 = now_ms(),
    case gen_tcp:connect({127, 0, 0, 1}, Port, [binary, {active, true}], Timeout) of
        {ok, S} ->
            _ = case Kind of
                    partial -> gen_tcp:send(S, partial_send_name());
                    silent -> ok
                end,
            T1 = now_ms(),
            Opener ! {self(), {ok, self(), T1, T1 - T0}},
            holder_wait(Owner, S);
        {error, E} ->
            Opener ! {self(), {failed, E}}
    end.

holder_wait(Owner, S) ->
    receive
        {tcp, S, _} -> holder_wait(Owner, S);
        {tcp_closed, S} -> Owner ! {conn_closed, self(), now_ms()};
        {tcp_error, S, _} -> gen_tcp:close(S), Owner ! {conn_closed, self(), now_ms()};
        close -> gen_tcp:close(S)
    end.

%% The start of a send_name (OTP 23+: tag N, 8 bytes of flags, creation, name):
%% the length, the tag and half the flags.
partial_send_name() ->
    Name = <<"bench_halfopen@localhost">>,
    Len = 1 + 8 + 4 + 2 + byte_size(Name),
    Full = <<Len:16, $N, 0:64, 0:32, (byte_size(Name)):16, Name/binary>>,
    binary:part(Full, 0, 7).

%% Closes the connections of these holders and waits until they are closed.
close_all(Holders) ->
    Ms = [{H, erlang:monitor(process, H)} || H <- Holders],
    [H ! close || H <- Holders],
    [receive {'DOWN', M, process, H, _} -> ok after 10000 -> ok end || {H, M} <- Ms],
    ok.

%%--------------------------------------------------------------------
%% descriptor exhaustion
%%--------------------------------------------------------------------

exhaust_side(Kind, Cfg) ->
    #{fd_limit := L, recover_timeout := RT} = Cfg,
    N = start_node(Kind, "bn_ex_" ++ k(Kind), [], Cfg, #{ulimit => L}),
    one_call(N),
    Os = N#nd.ospid,
    Limit = fd_limit(Os),
    Port = dist_port(N),
    %% a node that has never talked to N, for the first connection afterwards
    Probe = start_node(beam, "bn_ex_probe_" ++ k(Kind), ["-kernel", "net_setuptime", "2"], Cfg),
    connect(Probe#nd.name),
    Soft = case Limit of {S, _} -> S; _ -> L end,
    {Hs, Peak, Why} = exhaust_open(Port, Os, Soft, Soft + 512, [], 0, 0, 0, false),
    timer:sleep(500),
    Existing = case rpc:call(N#nd.name, inet, parse_address, [?ADDR], 3000) of
                   ?ANSWER -> "ok";
                   Other -> lists:flatten(io_lib:format("~0p", [Other]))
               end,
    io:format("~s: ~b connections open, node descriptors ~b (limit ~p), stopped: ~s; "
              "call on the existing connection: ~s~n",
              [Kind, length(Hs), Peak, Limit, Why, Existing]),
    TClose = now_ms(),
    close_all(Hs),
    Rec = recover(Probe#nd.name, N#nd.name, TClose, TClose + round(RT * 1000), 0),
    CallAfter = case Rec of
                    {ok, _, _} ->
                        case rpc:call(Probe#nd.name, rpc, call,
                                      [N#nd.name, inet, parse_address, [?ADDR], 5000], 10000) of
                            ?ANSWER -> "ok";
                            O2 -> lists:flatten(io_lib:format("~0p", [O2]))
                        end;
                    _ -> "-"
                end,
    Alive = alive(Os),
    Logged = logged_emfile(N#nd.log),
    io:format("~s: ~s~n", [Kind, case Rec of
                                     {ok, S1, A} -> io_lib:format("a new node's ping answered ~.2f s after "
                                                                  "closing them (attempt ~b)", [S1, A]);
                                     never -> io_lib:format("no ping answered within ~s s", [fmt_s(RT)])
                                 end]),
    stop_node(Probe),
    stop_node(N),
    flush_closes(),
    #{limit => case Limit of {A1, B1} -> io_lib:format("~b/~b", [A1, B1]); _ -> "?" end,
      opened => length(Hs), fds_peak => Peak, why => Why, existing => Existing,
      recovered => case Rec of {ok, S2, _} -> S2; never -> "never" end,
      call_after => CallAfter,
      alive => case Alive of true -> "yes"; false -> "no" end,
      logged => case Logged of true -> "yes"; false -> "no" end}.

%% Opens silent connections in batches of 8 until the node's descriptors reach
%% its limit (one more batch then, for the node to meet EMFILE), a connect
%% fails, the node's descriptors stop growing for 10 batches, or Max.
exhaust_open(Port, Os, Limit, Max, Acc, Peak, Prev, Stale, Extra) ->
    {Hs, Failed} = open_conns(Port, 8, silent, 1, 3000),
    timer:sleep(50),
    Fds = case fd_count(Os) of undefined -> 0; F -> F end,
    Acc1 = [H || {H, _} <- Hs] ++ Acc,
    Peak1 = max(Peak, Fds),
    if
        Failed > 0 -> {Acc1, Peak1, "a connect failed"};
        Fds =:= 0 -> {Acc1, Peak1, "the node is gone"};
        Extra -> {Acc1, Peak1, "descriptors at the limit"};
        Fds >= Limit - 1 -> exhaust_open(Port, Os, Limit, Max, Acc1, Peak1, Fds, 0, true);
        Fds =< Prev, Stale >= 9 -> {Acc1, Peak1, "the node stopped accepting"};
        length(Acc1) >= Max -> {Acc1, Peak1, "enough connections"};
        Fds =< Prev -> exhaust_open(Port, Os, Limit, Max, Acc1, Peak1, Prev, Stale + 1, false);
        true -> exhaust_open(Port, Os, Limit, Max, Acc1, Peak1, Fds, 0, false)
    end.

%% net_adm:ping from the probe node until pong or the deadline.
recover(Probe, Node, T0, Deadline, Attempt) ->
    case rpc:call(Probe, net_adm, ping, [Node], 15000) of
        pong ->
            {ok, (now_ms() - T0) / 1000, Attempt + 1};
        _ ->
            case now_ms() >= Deadline of
                true -> never;
                false -> timer:sleep(100), recover(Probe, Node, T0, Deadline, Attempt + 1)
            end
    end.

fd_limit(Os) ->
    case file:read_file("/proc/" ++ integer_to_list(Os) ++ "/limits") of
        {ok, B} ->
            case re:run(B, "Max open files\\s+(\\d+)\\s+(\\d+)", [{capture, all_but_first, list}]) of
                {match, [S, H]} -> {list_to_integer(S), list_to_integer(H)};
                _ -> undefined
            end;
        _ -> undefined
    end.

logged_emfile(Log) ->
    case file:read_file(Log) of
        {ok, B} -> re:run(B, "emfile|too many open files", [caseless]) =/= nomatch;
        _ -> false
    end.

%%--------------------------------------------------------------------
%% silent peer
%%--------------------------------------------------------------------

silent_side(Kind, Cfg) ->
    T = maps:get(ticktime, Cfg),
    Flags = ["-kernel", "net_ticktime", integer_to_list(T)],
    N = start_node(Kind, "bn_si_" ++ k(Kind), Flags, Cfg),
    P = start_node(beam, "bn_si_peer_" ++ k(Kind), Flags, Cfg),
    one_call(N),
    PeerPid = case rpc:call(P#nd.name, erlang, spawn, [timer, sleep, [infinity]], 5000) of
                  Pid when is_pid(Pid) -> Pid;
                  E1 -> fatal("spawn on the peer: ~p", [E1])
              end,
    true =:= rpc:call(P#nd.name, net_kernel, connect_node, [N#nd.name], 10000)
        orelse fatal("the peer cannot connect to ~s", [N#nd.name]),
    Match = watch(Kind, N#nd.name, PeerPid),
    %% the driver's own connection to the peer is no part of the measure
    erlang:disconnect_node(P#nd.name),
    timer:sleep(200),
    os:cmd("kill -STOP " ++ integer_to_list(P#nd.ospid)),
    T0 = now_ms(),
    io:format("~s: peer ~s stopped (SIGSTOP); waiting up to ~b s for the DOWN~n",
              [Kind, P#nd.name, 3 * T]),
    {Down, Reason, Ok, Failed} = wait_down(Match, N#nd.name, T0, T0 + 3 * T * 1000, 0, 0),
    os:cmd("kill -CONT " ++ integer_to_list(P#nd.ospid)),
    io:format("~s: ~s~n", [Kind, case Down of
                                     never -> "no DOWN (never noticed)";
                                     _ -> io_lib:format("DOWN after ~.2f s, reason ~s", [Down, Reason])
                                 end]),
    stop_node(P),
    stop_node(N),
    #{down => Down, reason => Reason, calls => io_lib:format("~b / ~b", [Ok, Failed]),
      failed => Failed}.

%% Sets up a monitor of PeerPid from the node under test; returns a fun that
%% matches the message telling the driver about the 'DOWN'.
watch(jinet, Node, PeerPid) ->
    case rpc:call(Node, jinet_node, watch, [PeerPid, self()], 5000) of
        {W, _Ref} when is_pid(W) ->
            fun({jinet_watch, W1, {'DOWN', _, process, _, R}}) when W1 =:= W -> {true, R};
               (_) -> false
            end;
        Other -> fatal("jinet_node:watch: ~p", [Other])
    end;
watch(beam, Node, PeerPid) ->
    load_code(Node, ?MODULE),
    F = rpc:call(Node, erlang, spawn, [?MODULE, watch_forward, [PeerPid, self()]], 5000),
    is_pid(F) orelse fatal("spawn on ~s: ~p", [Node, F]),
    receive {bench_watch, F, watching} -> ok after 5000 -> fatal("no monitor on ~s", [Node]) end,
    fun({bench_watch, F1, {'DOWN', _, process, _, R}}) when F1 =:= F -> {true, R};
       (_) -> false
    end.

%% Loads this node's code of Mod on Node (a BEAM node the driver started).
load_code(Node, Mod) ->
    {Mod, Bin, File} = code:get_object_code(Mod),
    case rpc:call(Node, code, load_binary, [Mod, File, Bin], 10000) of
        {module, Mod} -> ok;
        Other -> fatal("loading ~s on ~s: ~p", [Mod, Node, Other])
    end.

%% On the BEAM node under test: monitors PeerPid and forwards the 'DOWN'.
watch_forward(PeerPid, Driver) ->
    erlang:monitor(process, PeerPid),
    Driver ! {bench_watch, self(), watching},
    receive
        {'DOWN', _, process, PeerPid, _} = M -> Driver ! {bench_watch, self(), M}
    end.

%% Waits for the DOWN; meanwhile calls the node every 0.5 s (which also keeps
%% the driver's connection to it busy: the driver runs with the default
%% net_ticktime).
wait_down(Match, Node, T0, Deadline, Ok, Failed) ->
    Wait = min(500, max(0, Deadline - now_ms())),
    receive
        Msg ->
            case Match(Msg) of
                {true, R} -> {(now_ms() - T0) / 1000, atom_or_term(R), Ok, Failed};
                false -> wait_down(Match, Node, T0, Deadline, Ok, Failed)
            end
    after Wait ->
            case now_ms() >= Deadline of
                true -> {never, "-", Ok, Failed};
                false ->
                    case rpc:call(Node, inet, parse_address, [?ADDR], 2000) of
                        ?ANSWER -> wait_down(Match, Node, T0, Deadline, Ok + 1, Failed);
                        _ -> wait_down(Match, Node, T0, Deadline, Ok, Failed + 1)
                    end
            end
    end.

atom_or_term(A) when is_atom(A) -> atom_to_list(A);
atom_or_term(T) -> lists:flatten(io_lib:format("~0p", [T])).

%%--------------------------------------------------------------------
%% soak
%%--------------------------------------------------------------------

soak_side(Kind, Cfg) ->
    #{soak_calls := Total, soak_callers := C, soak_timeout := TO} = Cfg,
    N = start_node(Kind, "bn_so_" ++ k(Kind), [], Cfg),
    one_call(N),
    Os = N#nd.ospid,
    Ctr = atomics:new(3, []),    % 1 calls taken, 2 calls done, 3 failed
    S0 = sample(Os),
    Cpu0 = cpu_ticks(Os),
    Sampler = start_sampler(Os, 1000, fun() -> atomics:get(Ctr, 2) end),
    T0 = now_ms(),
    Deadline = T0 + round(TO * 1000),
    Self = self(),
    Node = N#nd.name,
    Callers = [spawn_link(fun() -> soak_loop(Node, Ctr, Total, Deadline), Self ! {soak_done, self()} end)
               || _ <- lists:seq(1, C)],
    soak_wait(Callers, Ctr, Kind, T0),
    T1 = now_ms(),
    Cpu1 = cpu_ticks(Os),
    S1 = sample(Os),
    Samples = stop_collector(Sampler),
    stop_node(N),
    Done = atomics:get(Ctr, 2),
    Failed = atomics:get(Ctr, 3),
    All = [S0] ++ [S || {_, S} <- Samples] ++ [S1],
    write_soak_samples(Kind, T0, Samples, Cfg),
    Tck = clk_tck(),
    Res = #{calls => Done, errors => Failed,
            tput => Done / max(0.001, (T1 - T0) / 1000),
            cpu_per_call => case {Cpu0, Cpu1} of
                                {A, B} when is_integer(A), is_integer(B), Done > 0 ->
                                    (B - A) * 1.0e6 / Tck / Done;
                                _ -> undefined
                            end,
            rss_start => mb(S0), rss_max => max_of(rss_kb, All) / 1024, rss_end => mb(S1),
            rss_growth => rss_growth([{T0, S0}] ++ Samples ++ [{T1, S1}], T0, T1),
            threads_start => maps:get(threads, S0), threads_max => max_of(threads, All),
            threads_end => maps:get(threads, S1),
            fds_start => maps:get(fds, S0), fds_max => max_of(fds, All),
            fds_end => maps:get(fds, S1)},
    io:format("~s: ~b calls (~b failed) in ~.1f s, ~s calls/s; RSS ~s -> max ~s -> ~s MB~n",
              [Kind, Done, Failed, (T1 - T0) / 1000, fmt_num(maps:get(tput, Res)),
               fmt_num(maps:get(rss_start, Res)), fmt_num(maps:get(rss_max, Res)),
               fmt_num(maps:get(rss_end, Res))]),
    Res.

%% A leak shows as growth that goes on: the highest RSS of the run's second
%% half over that of its first half, in %.
rss_growth(Samples, T0, T1) ->
    Mid = (T0 + T1) div 2,
    case {max_of(rss_kb, [S || {T, S} <- Samples, T < Mid]),
          max_of(rss_kb, [S || {T, S} <- Samples, T >= Mid])} of
        {A, B} when is_integer(A), is_integer(B), A > 0 -> (B / A - 1) * 100;
        _ -> undefined
    end.

soak_loop(Node, Ctr, Total, Deadline) ->
    case atomics:add_get(Ctr, 1, 1) =< Total andalso now_ms() < Deadline of
        true ->
            case rpc:call(Node, inet, parse_address, [?ADDR], 10000) of
                ?ANSWER -> ok;
                _ -> atomics:add(Ctr, 3, 1)
            end,
            atomics:add(Ctr, 2, 1),
            soak_loop(Node, Ctr, Total, Deadline);
        false ->
            ok
    end.

soak_wait([], _, _, _) -> ok;
soak_wait(Callers, Ctr, Kind, T0) ->
    receive
        {soak_done, P} -> soak_wait(lists:delete(P, Callers), Ctr, Kind, T0)
    after 10000 ->
            io:format("~s: ~b calls after ~b s~n", [Kind, atomics:get(Ctr, 2), (now_ms() - T0) div 1000]),
            soak_wait(Callers, Ctr, Kind, T0)
    end.

write_soak_samples(Kind, T0, Samples, Cfg) ->
    {Txt, _} = out_files(Cfg),
    File = filename:rootname(Txt) ++ "-soak.tsv",
    New = not filelib:is_regular(File),
    Lines = [tsv([Kind, (T - T0) / 1000, maps:get(rss_kb, S), maps:get(threads, S),
                  maps:get(fds, S), maps:get(extra, S)]) || {T, S} <- Samples],
    Hdr = case New of
              true -> [tsv(["side", "t_s", "rss_kb", "threads", "fds", "calls_done"]), $\n];
              false -> []
          end,
    ok = file:write_file(File, [Hdr, [[L, $\n] || L <- Lines]], [append]),
    case New of
        true -> maps:get(driver, Cfg) ! {soak_file, File};
        false -> ok
    end.

clk_tck() ->
    case string:to_integer(os:cmd("getconf CLK_TCK")) of
        {I, _} when is_integer(I), I > 0 -> I;
        _ -> 100
    end.

%%--------------------------------------------------------------------
%% bursts
%%--------------------------------------------------------------------

burst_side(Kind, Cfg) ->
    #{burst_calls := K, digits := D} = Cfg,
    N = start_node(Kind, "bn_bu_" ++ k(Kind), [], Cfg),
    one_call(N),
    Node = N#nd.name,
    [erpc:call(Node, inet, parse_address, [?ADDR], 5000) || _ <- lists:seq(1, 100)],
    {ErpcS, ErpcFailed} = erpc_burst(Node, K),
    io:format("~s: ~b concurrent erpc:call in ~.3f s, ~b failed~n", [Kind, K, ErpcS, ErpcFailed]),
    %% The first burst on a fresh jinet includes the JIT compiling the call path; the second
    %% shows the node once compiled (shown, not judged)
    {AgainS, AgainFailed} = erpc_burst(Node, K),
    io:format("~s: again in ~.3f s, ~b failed~n", [Kind, AgainS, AgainFailed]),
    Str = lists:duplicate(D, $1),
    T0 = erlang:monotonic_time(),
    Answer = try erpc:call(Node, inet, parse_address, [Str], 180000)
             catch C:R -> {C, R}
             end,
    BigS = secs(erlang:monotonic_time() - T0),
    A = atom_or_term(Answer),
    io:format("~s: parse_address of ~b digits: ~s in ~.3f s~n", [Kind, D, A, BigS]),
    stop_node(N),
    #{erpc_s => ErpcS, erpc_failed => ErpcFailed + AgainFailed, erpc_again_s => AgainS,
      big_s => BigS, big_answer => A}.

erpc_burst(Node, K) ->
    Self = self(),
    Go = make_ref(),
    Ps = [spawn(fun() ->
                        receive Go -> ok end,
                        R = try erpc:call(Node, inet, parse_address, [?ADDR], 60000)
                            catch C:E -> {C, E}
                            end,
                        Self ! {Go, R =:= ?ANSWER}
                end) || _ <- lists:seq(1, K)],
    T0 = erlang:monotonic_time(),
    [P ! Go || P <- Ps],
    Oks = [receive {Go, Ok} -> Ok after 120000 -> false end || _ <- Ps],
    {secs(erlang:monotonic_time() - T0), length([x || false <- Oks])}.

%%====================================================================
%% nodes
%%====================================================================

%% Starts a node: jinet (bin/jinet), beam (erl -noshell, prints ready once
%% booted) or beam_halt (erl -noshell -eval 'halt().', waited for until it
%% exits). The command runs under /bin/sh, which prints its pid and execs it,
%% so the pid is the JVM's or beam.smp's; the node's stderr goes to a file.
%% Opts: ulimit => N (soft and hard descriptor limit).
start_node(Kind, Short0, Extra, Cfg) ->
    start_node(Kind, Short0, Extra, Cfg, #{}).

start_node(Kind, Short0, Extra, Cfg, Opts) ->
    #{tag := Tag, host := Host, start_timeout := STO} = Cfg,
    Short = Short0 ++ "_" ++ Tag,
    Cookie = atom_to_list(erlang:get_cookie()),
    {Exe, Args} =
        case Kind of
            jinet -> {maps:get(jinet_cmd, Cfg), ["-sname", Short, "-setcookie", Cookie | Extra]};
            beam -> {os:find_executable("erl"),
                     ["-sname", Short, "-setcookie", Cookie, "-noshell" | Extra]
                     ++ ["-eval", "io:format(\"ready~n\")."]};
            beam_halt -> {os:find_executable("erl"),
                          ["-sname", Short, "-setcookie", Cookie, "-noshell" | Extra]
                          ++ ["-eval", "halt()."]}
        end,
    Log = filename:join(log_dir(Cfg), Short ++ ".err"),
    Ulimit = case maps:get(ulimit, Opts, undefined) of
                 undefined -> "";
                 L -> io_lib:format("ulimit -Sn ~b && ulimit -Hn ~b || exit 111; ", [L, L])
             end,
    Script = lists:flatten(["echo pid $$; ", Ulimit, "exec \"$@\" 2>>\"$BENCH_NODE_LOG\""]),
    Owner = self(),
    Ref = make_ref(),
    T0 = erlang:monotonic_time(),
    spawn(fun() ->
                  Port = open_port({spawn_executable, "/bin/sh"},
                                   [{args, ["-c", Script, "sh", Exe | Args]},
                                    {env, [{"BENCH_NODE_LOG", Log}]},
                                    {line, 4096}, exit_status, use_stdio, hide]),
                  keeper(Owner, Ref, Port, false)
          end),
    OsPid = receive {Ref, pid, P} -> P
            after 10000 -> fatal("~s: no pid from /bin/sh", [Short])
            end,
    record_pid(OsPid, Cfg),
    N0 = #nd{kind = case Kind of beam_halt -> beam; _ -> Kind end,
             name = full_node(Short, Host), short = Short, ospid = OsPid, ref = Ref,
             t0 = T0, log = Log},
    ets:insert(?NODES, N0),
    Timeout = round(STO * 1000),
    case Kind of
        beam_halt ->
            receive
                {Ref, exited, 0, T} -> N0#nd{t_ready = T};
                {Ref, exited, S, _} -> fatal("~s exited with status ~b: ~ts", [Short, S, tail(Log)])
            after Timeout -> fatal("~s did not halt within ~b s", [Short, round(STO)])
            end;
        _ ->
            receive
                {Ref, ready, T} ->
                    N = N0#nd{t_ready = T, ospid = server_pid(Kind, OsPid)},
                    ets:delete(?NODES, OsPid),
                    ets:insert(?NODES, N),
                    record_pid(N#nd.ospid, Cfg),
                    N;
                {Ref, exited, S, _} ->
                    fatal("~s exited (status ~b) before it was ready: ~ts", [Short, S, tail(Log)])
            after Timeout ->
                    fatal("~s not ready within ~b s: ~ts", [Short, round(STO), tail(Log)])
            end
    end.

%% Owns the port of a node: tells the owner the pid, the first line that says
%% ready, and the exit status.
keeper(Owner, Ref, Port, Ready) ->
    receive
        {Port, {data, {eol, "pid " ++ P}}} ->
            Owner ! {Ref, pid, list_to_integer(P)},
            keeper(Owner, Ref, Port, Ready);
        {Port, {data, {eol, Line}}} when not Ready ->
            case string:find(Line, "ready") of
                nomatch -> keeper(Owner, Ref, Port, Ready);
                _ -> Owner ! {Ref, ready, erlang:monotonic_time()},
                     keeper(Owner, Ref, Port, true)
            end;
        {Port, {data, _}} ->
            keeper(Owner, Ref, Port, Ready);
        {Port, {exit_status, S}} ->
            Owner ! {Ref, exited, S, erlang:monotonic_time()}
    end.

%% For jinet the java process among the pid and its descendants (bin/jinet
%% execs java, so normally the pid itself).
server_pid(jinet, Pid) ->
    case [P || P <- [Pid | descendants(Pid)], comm(P) =:= "java"] of
        [J | _] -> J;
        [] -> Pid
    end;
server_pid(beam, Pid) ->
    Pid.

comm(P) ->
    case file:read_file("/proc/" ++ integer_to_list(P) ++ "/comm") of
        {ok, B} -> string:trim(binary_to_list(B));
        _ -> ""
    end.

descendants(Pid) ->
    Kids = [list_to_integer(S) || S <- string:lexemes(os:cmd("pgrep -P " ++ integer_to_list(Pid)), "\n ")],
    lists:append([[K | descendants(K)] || K <- Kids]).

%% bin/bench-node kills what is left of these when it exits.
record_pid(OsPid, #{pids_file := ""}) -> OsPid;
record_pid(OsPid, #{pids_file := F}) ->
    ok = file:write_file(F, [integer_to_list(OsPid), $\n], [append]),
    OsPid.

one_call(#nd{name = Node}) ->
    connect(Node),
    case rpc:call(Node, inet, parse_address, [?ADDR], 10000) of
        ?ANSWER -> ok;
        Other -> fatal("~s: inet:parse_address(~p) = ~p", [Node, ?ADDR, Other])
    end.

%% SIGCONT (for a stopped peer), SIGTERM, and SIGKILL after 10 s.
stop_node(#nd{ospid = Os, name = Name} = N) ->
    kill("CONT", Os),
    kill("TERM", Os),
    case wait_gone([Os], 10000) of
        true -> ok;
        false ->
            io:format("~s ignored SIGTERM for 10 s: SIGKILL~n", [Name]),
            kill("KILL", Os),
            wait_gone([Os], 5000)
    end,
    _ = erlang:disconnect_node(Name),
    unregister_node(N).

unregister_node(#nd{ospid = Os, ref = Ref}) ->
    ets:delete(?NODES, Os),
    receive {Ref, exited, _, _} -> ok after 0 -> ok end.

%% Stops the nodes a measure left behind (it failed or ran out of time).
cleanup_nodes() ->
    case ets:info(?NODES) of
        undefined -> ok;
        _ -> [stop_node(N) || N <- ets:tab2list(?NODES)], ok
    end.

kill(Sig, Os) ->
    os:cmd("kill -" ++ Sig ++ " " ++ integer_to_list(Os) ++ " 2>/dev/null").

%% True when none of the processes exists (or all are zombies) any more.
wait_gone(Pids, Ms) ->
    case [P || P <- Pids, alive(P)] of
        [] -> true;
        _ when Ms =< 0 -> false;
        Left -> timer:sleep(50), wait_gone(Left, Ms - 50)
    end.

alive(P) ->
    case file:read_file("/proc/" ++ integer_to_list(P) ++ "/stat") of
        {ok, B} ->
            [_, Rest] = string:split(B, ")", trailing),
            case string:trim(Rest, leading) of
                <<"Z", _/binary>> -> false;
                <<"X", _/binary>> -> false;
                _ -> true
            end;
        _ -> false
    end.

tail(Log) ->
    case file:read_file(Log) of
        {ok, B} ->
            Lines = string:split(string:trim(B), "\n", all),
            lists:join("\n", lists:nthtail(max(0, length(Lines) - 15), Lines));
        _ -> "(no log)"
    end.

%%====================================================================
%% sampling
%%====================================================================

%% VmRSS (kB), Threads from /proc/PID/status; open descriptors from /proc/PID/fd.
sample(Os) ->
    P = "/proc/" ++ integer_to_list(Os),
    St = case file:read_file(P ++ "/status") of
             {ok, B} -> B;
             _ -> <<>>
         end,
    #{rss_kb => status_field(St, "VmRSS"), threads => status_field(St, "Threads"),
      fds => fd_count(Os)}.

status_field(St, Key) ->
    case re:run(St, "^" ++ Key ++ ":\\s+(\\d+)", [multiline, {capture, all_but_first, list}]) of
        {match, [V]} -> list_to_integer(V);
        _ -> undefined
    end.

fd_count(Os) ->
    case file:list_dir("/proc/" ++ integer_to_list(Os) ++ "/fd") of
        {ok, L} -> length(L);
        _ -> undefined
    end.

%% A process sampling the node every Ms ms (with Extra() as extra); the
%% samples are [{TimeMs, Sample}], handed over by stop_collector/1.
start_sampler(Os, Ms, Extra) ->
    spawn_link(fun() -> sampler(Os, Ms, Extra, []) end).

sampler(Os, Ms, Extra, Acc) ->
    S = {now_ms(), (sample(Os))#{extra => Extra()}},
    receive
        {stop, From} -> From ! {collected, self(), lists:reverse([S | Acc])}
    after Ms ->
            sampler(Os, Ms, Extra, [S | Acc])
    end.

%% A process calling parse_address on Node, one call at a time with a pause of
%% Ms ms between calls; records [{StartMs, LatencyNative, ok | failed}].
start_prober(Node, Ms) ->
    spawn_link(fun() -> prober(Node, Ms, []) end).

prober(Node, Ms, Acc) ->
    receive
        {stop, From} -> From ! {collected, self(), lists:reverse(Acc)}
    after Ms ->
            T = now_ms(),
            T1 = erlang:monotonic_time(),
            R = rpc:call(Node, inet, parse_address, [?ADDR], 5000),
            L = erlang:monotonic_time() - T1,
            prober(Node, Ms, [{T, L, case R of ?ANSWER -> ok; _ -> failed end} | Acc])
    end.

stop_collector(P) ->
    P ! {stop, self()},
    receive {collected, P, L} -> L after 30000 -> [] end.

now_ms() -> erlang:monotonic_time(millisecond).

secs(Native) -> erlang:convert_time_unit(Native, native, microsecond) / 1.0e6.

%%====================================================================
%% the table
%%====================================================================

%% Check: fun(JinetValue, BeamValue) -> boolean() for the met column, or none.
row(Measure, Label, J, B, Target, Check) ->
    Met = case Check of
              none -> "";
              _ when J =:= undefined -> "?";
              _ -> try Check(J, B) of
                       true -> "yes";
                       false -> "NO"
                   catch _:_ -> "?"
                   end
          end,
    #{measure => Measure, label => lists:flatten(io_lib:format("~ts", [Label])),
      j => val(J), b => val(B),
      ratio => case {J, B} of
                   {X, Y} when is_number(X), is_number(Y) -> ratio(X, Y);
                   _ -> undefined
               end,
      target => lists:flatten(io_lib:format("~ts", [Target])), met => Met}.

val(V) when is_number(V); V =:= undefined -> V;
val(V) -> lists:flatten(io_lib:format("~ts", [V])).

ratio_at_most(Max) ->
    fun(J, B) when is_number(J), is_number(B), B > 0 -> J / B =< Max;
       (_, _) -> false
    end.

%% Title: what the table is about ("the node").
table(Title, Rows) ->
    Hdr = ["measure", "", "jinet", "BEAM", "ratio", "target (jinet)", "met"],
    Lines = [[M, maps:get(label, R),
              fmt_val(maps:get(j, R)), fmt_val(maps:get(b, R)),
              fmt_ratio(maps:get(ratio, R)), maps:get(target, R), maps:get(met, R)]
             || {M, R} <- lists:zip(group_names(Rows), Rows)],
    Ws = [lists:max([string:length(C) || C <- Col])
          || Col <- transpose([Hdr | Lines])],
    Fmt = fun(Cells) ->
                  Padded = [case I of
                                3 -> string:pad(C, W, leading);
                                4 -> string:pad(C, W, leading);
                                5 -> string:pad(C, W, leading);
                                _ -> string:pad(C, W, trailing)
                            end || {I, C, W} <- lists:zip3(lists:seq(1, length(Cells)), Cells, Ws)],
                  [string:trim(lists:join("  ", Padded), trailing), $\n]
          end,
    Sep = [lists:duplicate(lists:sum(Ws) + 2 * (length(Ws) - 1), $-), $\n],
    ["== jinet vs BEAM: ", Title, " ==\n", "ratio = jinet / BEAM; met: whether jinet meets the target\n",
     Fmt(Hdr), Sep, [Fmt(L) || L <- Lines]].

%% The measure's name on its first row only.
group_names(Rows) ->
    Ms = [atom_to_list(maps:get(measure, R)) || R <- Rows],
    [case lists:sublist(Ms, I - 1) of
         [] -> M;
         Before -> case lists:last(Before) of M -> ""; _ -> M end
     end || {I, M} <- lists:zip(lists:seq(1, length(Ms)), Ms)].

transpose([[] | _]) -> [];
transpose(Rows) -> [[hd(R) || R <- Rows] | transpose([tl(R) || R <- Rows])].

fmt_val(undefined) -> "n/a";
fmt_val(V) when is_integer(V) -> integer_to_list(V);
fmt_val(V) when is_number(V) -> fmt_num(V);
fmt_val(V) -> V.

tsv_rows(Rows) ->
    [[tsv(["measure", "what", "jinet", "beam", "ratio", "target", "met"]), $\n] |
     [[tsv([maps:get(measure, R), maps:get(label, R), maps:get(j, R), maps:get(b, R),
            maps:get(ratio, R), maps:get(target, R), maps:get(met, R)]), $\n] || R <- Rows]].

%% The nodes' stderr, kept with the results.
log_dir(Cfg) ->
    {Txt, _} = out_files(Cfg),
    D = filename:rootname(Txt) ++ "-logs",
    ok = filelib:ensure_dir(filename:join(D, "x")),
    D.

out_files(Cfg) ->
    Prefix = case maps:get(out, Cfg) of
                 "" -> filename:join(maps:get(tmp, Cfg), "bench-node");
                 P -> P
             end,
    ok = filelib:ensure_dir(Prefix),
    {Prefix ++ ".txt", Prefix ++ ".tsv"}.

%%====================================================================
%% header
%%====================================================================

print_header(Cfg) ->
    io:format("~ts", [header_text(Cfg)]).

header_text(Cfg) ->
    Opts = case os:getenv("JINET_JAVA_OPTS") of
               false -> "";
               "" -> "";
               O -> " (JINET_JAVA_OPTS=" ++ O ++ ")"
           end,
    io_lib:format(
      "== jinet node benchmark ==~n"
      "command:  ~ts~n"
      "started:  ~ts~n"
      "driver:   ~p (OS pid ~s), OTP ~s, ~b CPUs online~n"
      "jinet:    ~ts~ts~n"
      "BEAM:     ~ts -noshell~n"
      "measures: ~s~s~n",
      [maps:get(cmdline, Cfg),
       calendar:system_time_to_rfc3339(erlang:system_time(second)),
       node(), os:getpid(), erlang:system_info(otp_release),
       erlang:system_info(logical_processors_online),
       maps:get(jinet_cmd, Cfg), Opts, os:find_executable("erl"),
       names(maps:get(measures, Cfg)),
       case maps:get(quick, Cfg) of true -> " (quick: a smoke test)"; false -> "" end]).
