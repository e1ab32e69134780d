%% jinet_bench: benchmark driver for bin/bench.
%%
%% Measures inet:parse_address/1, inet:ntoa/1 and inet:format_error/1 called
%% remotely on a "candidate" node (jinet, or a BEAM peer in --beam-vs-beam
%% mode) and on a BEAM "baseline" peer, at several caller concurrencies.
%% Each (function, concurrency) cell is visited `rounds` times, spread over the
%% run; in a visit every side gets a round, the rounds interleaved in slices
%% (ABBA...). Visits disturbed by load from other processes on the machine are
%% repeated at the end; the report shows per-cell medians over the least
%% disturbed visits and the median candidate/baseline ratio of the visits.
%% See README.md next to this file.
%%
%% Per round and side it records: calls completed, calls/s, p50/p99 latency
%% (us, per call, as seen by the caller), server CPU per call (utime+stime from
%% /proc/PID/stat of the server's OS process, before and after each slice),
%% the driver's own CPU per call, and the load from elsewhere (/proc/stat).
%%
%% Started by bin/bench as
%%   erl -noshell -hidden -sname ... -pa DIR -run jinet_bench main key=value ...
%% It is not meant to be run by hand, but it can be (see bin/bench --help for
%% the meaning of the keys).
-module(jinet_bench).

-export([main/1]).
%% Helpers shared with jinet_node_bench (bin/bench-node), which compiles and
%% loads this module next to its own.
-export([fatal/2, full_node/2, connect/1, cpu_ticks/1, percentiles/3,
         median/1, ratio/2, fmt_num/1, fmt_ratio/1, fmt_s/1, tsv/1]).

-record(side, {label :: string(),      % column label
               node :: node(),
               path :: block_call | call | erpc,
               ospid :: integer() | undefined,
               role :: cand | base}).

-define(PCTS, [0.50, 0.99]).
-define(HIST_BITS, 9).
-define(HIST_SUB, (1 bsl ?HIST_BITS)).
-define(HIST_MAX_SHIFT, 40).
-define(HIST_BUCKETS, ((?HIST_MAX_SHIFT + 2) * ?HIST_SUB)).

%%====================================================================
%% entry point
%%====================================================================

main(Args) ->
    Code =
        try
            Cfg = parse_args(Args),
            run(Cfg),
            0
        catch
            throw:{fatal, Msg} ->
                io:format(standard_error, "bench: ERROR: ~ts~n", [Msg]),
                2;
            C:R:St ->
                io:format(standard_error, "bench: CRASH: ~p:~p~n~p~n", [C, R, St]),
                3
        end,
    halt(Code).

fatal(Fmt, Args) -> throw({fatal, lists:flatten(io_lib:format(Fmt, Args))}).

%%====================================================================
%% configuration
%%====================================================================

defaults() ->
    #{mode => "jinet",            % jinet | beam  (the candidate side)
      node => "",                 % candidate node (jinet mode), NAME or NAME@HOST
      pid => "",                  % candidate OS pid (jinet mode)
      path => "block_call",       % candidate call path
      base_paths => "call,block_call",
      rounds => "5",
      seconds => "2",
      warmup => "2",              % s per side and function, before measuring
      cell_warmup => "0.2",       % s per side, before each cell
      slice => "0.5",             % s, rounds of a visit interleave in slices
      concurrency => "1,16,64,256",
      functions => "parse_address,ntoa,format_error",
      timeout => "5000",          % ms per call
      clk_tck => "100",
      out => "",                  % TSV path prefix
      cmdline => "",
      peer_args => "",
      pin => "",                  % "DRIVERCPUS:SERVERCPUS", e.g. "0:1"
      max_foreign => "3",         % % of CPU used by others => round disturbed
      makeup_budget => ""}.       % s for repeating disturbed rounds; default
                                  % 25 % of the planned measuring time

parse_args(Args) ->
    M = lists:foldl(
          fun(A, Acc) ->
                  case string:split(A, "=") of
                      [K, V] -> Acc#{list_to_atom(K) => V};
                      _ -> fatal("bad driver argument ~p", [A])
                  end
          end, defaults(), Args),
    Mode = list_to_atom(maps:get(mode, M)),
    lists:member(Mode, [jinet, beam]) orelse fatal("bad target ~p", [Mode]),
    Path = path(maps:get(path, M)),
    BasePaths = [path(P) || P <- split(maps:get(base_paths, M))],
    BasePaths =/= [] orelse fatal("no baseline path", []),
    Funs = [list_to_atom(F) || F <- split(maps:get(functions, M))],
    [fatal("unknown function ~p (known: parse_address, ntoa, format_error)", [F])
     || F <- Funs, not lists:member(F, [parse_address, ntoa, format_error])],
    Funs =/= [] orelse fatal("no functions", []),
    Conc = [pos_int(C) || C <- split(maps:get(concurrency, M))],
    Conc =/= [] orelse fatal("no concurrency levels", []),
    #{mode => Mode,
      node => maps:get(node, M),
      pid => case maps:get(pid, M) of "" -> undefined; P -> pos_int(P) end,
      path => Path,
      base_paths => BasePaths,
      rounds => pos_int(maps:get(rounds, M)),
      seconds => pos_num(maps:get(seconds, M)),
      warmup => num(maps:get(warmup, M)),
      cell_warmup => num(maps:get(cell_warmup, M)),
      slice => pos_num(maps:get(slice, M)),
      max_foreign => num(maps:get(max_foreign, M)),
      makeup_budget => case maps:get(makeup_budget, M) of
                           "" -> default;
                           MB -> num(MB)
                       end,
      concurrency => Conc,
      functions => Funs,
      timeout => pos_int(maps:get(timeout, M)),
      clk_tck => pos_int(maps:get(clk_tck, M)),
      out => maps:get(out, M),
      cmdline => maps:get(cmdline, M),
      peer_args => string:lexemes(maps:get(peer_args, M), " "),
      cpusets => case maps:get(pin, M) of
                     "" -> All = lists:seq(0, erlang:system_info(logical_processors_online) - 1),
                           {All, All};
                     Pin0 -> [DS, SS] = string:split(Pin0, ":"),
                             {cpu_list(DS), cpu_list(SS)}
                 end,
      pin => case maps:get(pin, M) of
                 "" -> undefined;
                 Pin -> case string:split(Pin, ":") of
                            [DC, SC] when DC =/= "", SC =/= "" -> {DC, SC};
                            _ -> fatal("bad pin ~p (want DRIVERCPUS:SERVERCPUS)", [Pin])
                        end
             end}.

split(S) -> string:lexemes(S, ", ").

%% taskset CPU list: "0", "0-3", "0,2-3"
cpu_list(S) ->
    lists:append(
      [case string:split(R, "-") of
           [A] -> [list_to_integer(A)];
           [A, B] -> lists:seq(list_to_integer(A), list_to_integer(B))
       end || R <- string:lexemes(S, ",")]).

path("block_call") -> block_call;
path("call") -> call;
path("erpc") -> erpc;
path(P) -> fatal("unknown path ~p (block_call | call | erpc)", [P]).

pos_int(S) ->
    case string:to_integer(S) of
        {I, ""} when I > 0 -> I;
        _ -> fatal("not a positive integer: ~p", [S])
    end.

num(S) ->
    case string:to_float(S) of
        {F, ""} when F >= 0 -> F;
        _ ->
            case string:to_integer(S) of
                {I, ""} when I >= 0 -> float(I);
                _ -> fatal("not a number: ~p", [S])
            end
    end.

pos_num(S) ->
    case num(S) of
        F when F > 0 -> F;
        _ -> fatal("not a positive number: ~p", [S])
    end.

%%====================================================================
%% inputs (varied a bit: IPv4, IPv6, IPv4-mapped)
%%====================================================================

inputs(parse_address) ->
    [["192.168.42.2"], ["10.0.0.1"], ["::1"],
     ["2001:db8::ff00:42:8329"], ["::ffff:192.168.42.2"]];
inputs(ntoa) ->
    [[{192,168,42,2}], [{10,0,0,1}], [{0,0,0,0,0,0,0,1}],
     [{16#2001,16#db8,0,0,0,16#ff00,16#42,16#8329}],
     [{0,0,0,0,0,16#ffff,16#c0a8,16#2a02}]];
inputs(format_error) ->
    [[econnrefused], [eaddrinuse], [ehostunreach], [timeout], [nxdomain]].

%%====================================================================
%% the run
%%====================================================================

run(Cfg) ->
    #{mode := Mode, rounds := Rounds, seconds := Secs, warmup := WU,
      cell_warmup := CWU, concurrency := Conc, functions := Funs,
      path := Path, base_paths := BasePaths} = Cfg,
    T0 = erlang:monotonic_time(millisecond),
    Cookie = atom_to_list(erlang:get_cookie()),
    Host = lists:last(string:split(atom_to_list(node()), "@")),
    Tag = integer_to_list(erlang:unique_integer([positive])) ++ "_" ++ os:getpid(),
    PeerArgs = ["-setcookie", Cookie, "-connect_all", "false"
                | maps:get(peer_args, Cfg)],
    Pin = maps:get(pin, Cfg),
    {CandSide, BaseSides} =
        case Mode of
            jinet ->
                JNode = case maps:get(node, Cfg) of
                            "" -> fatal("jinet mode needs node=NAME", []);
                            N -> full_node(N, Host)
                        end,
                connect(JNode),
                BNode = start_peer("jinet_bench_beam_" ++ Tag, PeerArgs, Pin),
                Cand = #side{label = "jinet", node = JNode, path = Path,
                             ospid = maps:get(pid, Cfg), role = cand},
                {Cand, base_sides("beam", BNode, BasePaths)};
            beam ->
                ANode = start_peer("jinet_bench_beamA_" ++ Tag, PeerArgs, Pin),
                BNode = start_peer("jinet_bench_beamB_" ++ Tag, PeerArgs, Pin),
                Cand = #side{label = "beamA", node = ANode, path = Path,
                             ospid = peer_ospid(ANode), role = cand},
                {Cand, base_sides("beamB", BNode, BasePaths)}
        end,
    Sides = [CandSide | BaseSides],
    pin(maps:get(pin, Cfg), Sides),
    Cfg0 = Cfg#{ksoftirqd => ksoftirqd_pids()},
    Expected = (length(Conc) * length(Funs) *
                    (Rounds * Secs + CWU) * length(Sides))
        + WU * length(Funs) * length(Sides),
    Makeup = case maps:get(makeup_budget, Cfg) of
                 default -> 0.25 * Expected;
                 MB -> MB
             end,
    start_watchdog(Expected + Makeup),
    print_header(Cfg#{makeup_budget := Makeup}, Sides, Expected),
    self_check(Sides, Funs, maps:get(timeout, Cfg0)),
    {RoundsFile, SummaryFile} = out_files(Cfg),
    {ok, RF} = file:open(RoundsFile, [write, {encoding, utf8}]),
    io:format(RF, "~ts~n", [tsv(round_cols())]),
    %% global warm-up (JIT for the Java side), max concurrency
    MaxC = lists:max(Conc),
    [begin
         io:format("warm-up: ~s ~s c=~b ~ss~n", [S#side.label, F, MaxC, fmt_s(WU)]),
         _ = run_round(S, F, MaxC, WU, Cfg0)
     end || WU > 0, F <- Funs, S <- Sides],
    %% Rounds outermost: each cell's rounds are spread over the whole run, so
    %% a burst of load from elsewhere hits few rounds of any cell; inside a
    %% visit of a cell the sides run back to back, in rotating order. A visit
    %% during which other processes used more than max_foreign % of the
    %% server's or the driver's CPUs is "disturbed": it is repeated at the end
    %% (within makeup_budget seconds), and the medians are over the `rounds`
    %% least disturbed visits of each cell.
    Cells = [{F, C} || C <- Conc, F <- Funs],
    NCells = length(Cells),
    Cfg1 = Cfg0#{rf => RF, sides => Sides, ncells => NCells},
    Acc0 = maps:from_list([{Cell, []} || Cell <- Cells]),
    Acc1 = lists:foldl(
             fun(R, AccR) ->
                     lists:foldl(
                       fun({I, Cell}, AccC) -> visit(R, I, Cell, AccC, Cfg1) end,
                       AccR, lists:zip(lists:seq(1, NCells), Cells))
             end, Acc0, lists:seq(1, Rounds)),
    MakeupEnd = erlang:monotonic_time(millisecond) + round(Makeup * 1000),
    Acc = makeup(Cells, Acc1, MakeupEnd, Cfg1),
    Results = [{F, C, select_visits(maps:get({F, C}, Acc), Rounds)} || {F, C} <- Cells],
    ok = file:close(RF),
    Summary = summarize(Results, CandSide, BaseSides),
    write_summary(SummaryFile, Summary),
    print_tables(Summary, CandSide, BaseSides, Cfg),
    print_validation(Summary, Mode, BaseSides),
    Elapsed = (erlang:monotonic_time(millisecond) - T0) / 1000,
    io:format("~nresults: ~ts~n         ~ts~ndriver run time: ~.1f s~n",
              [SummaryFile, RoundsFile, Elapsed]),
    ok.

%% One visit of a cell: a round of every side, back to back.
visit(R, I, {F, C} = Cell, Acc, Cfg) ->
    #{sides := Sides, cell_warmup := CWU, seconds := Secs, rf := RF,
      ncells := NCells, rounds := Rounds, max_foreign := MaxF} = Cfg,
    [_ = run_round(S, F, C, CWU, Cfg) || CWU > 0, S <- Sides],
    Order = rotate(Sides, (R - 1 + I - 1) rem length(Sides)),
    Rs = [{Pos, S, Res}
          || {Pos, {S, Res}} <- lists:zip(lists:seq(1, length(Order)),
                                          run_visit(Order, F, C, Secs, Cfg))],
    Foreign = lists:max([0.0 | [X || {_, _, Res} <- Rs,
                                     X <- [maps:get(foreign_server, Res),
                                           maps:get(foreign_driver, Res)],
                                     X =/= undefined]]),
    Clean = Foreign =< MaxF,
    [write_round(RF, F, C, R, Pos, S, Res, Clean) || {Pos, S, Res} <- Rs],
    New = [{S#side.label, R, Res} || {_, S, Res} <- Rs],
    progress(R, Rounds, I, NCells, F, C, New, Sides, Foreign, Clean),
    maps:update_with(Cell, fun(Old) -> Old ++ [{R, Clean, Foreign, New}] end, Acc).

clean_count(Visits) -> length([x || {_, true, _, _} <- Visits]).

%% Repeat visits of the cells that have fewer than `rounds` undisturbed ones,
%% while the budget lasts.
makeup(Cells, Acc, End, Cfg) ->
    Rounds = maps:get(rounds, Cfg),
    Need = [{I, Cell} || {I, Cell} <- lists:zip(lists:seq(1, length(Cells)), Cells),
                         clean_count(maps:get(Cell, Acc)) < Rounds],
    case Need =/= [] andalso erlang:monotonic_time(millisecond) < End of
        false ->
            Acc;
        true ->
            io:format("make-up: ~b cell(s) short of ~b undisturbed rounds~n",
                      [length(Need), Rounds]),
            Acc2 = lists:foldl(
                     fun({I, Cell}, AccC) ->
                             case erlang:monotonic_time(millisecond) < End of
                                 true ->
                                     R = length(maps:get(Cell, AccC)) + 1,
                                     visit(R, I, Cell, AccC, Cfg);
                                 false ->
                                     AccC
                             end
                     end, Acc, Need),
            makeup(Cells, Acc2, End, Cfg)
    end.

%% The visits a cell's medians are taken over: the `rounds` least disturbed
%% ones (by load from elsewhere; as the sides of a visit ran back to back this
%% favours neither side). Flagged in the table when some were disturbed.
select_visits(Visits, Rounds) ->
    Sorted = lists:keysort(3, Visits),
    Use = lists:sublist(Sorted, Rounds),
    NClean = clean_count(Visits),
    {lists:append([New || {_, _, _, New} <- Use]), NClean, length(Visits),
     clean_count(Use) =:= length(Use)}.

base_sides(Prefix, Node, Paths) ->
    OsPid = peer_ospid(Node),
    [#side{label = Prefix ++ "/" ++ atom_to_list(P), node = Node, path = P,
           ospid = OsPid, role = base} || P <- Paths].

full_node(N, Host) ->
    case lists:member($@, N) of
        true -> list_to_atom(N);
        false -> list_to_atom(N ++ "@" ++ Host)
    end.

connect(Node) ->
    case net_kernel:connect_node(Node) of
        true -> ok;
        _ -> fatal("cannot connect to ~p (is it running, same cookie?)", [Node])
    end.

%% With pinning, the peer starts under taskset, so that it sizes itself (number
%% of schedulers) for the CPUs it gets, as bin/bench does for bin/jinet.
start_peer(Name, Args, Pin) ->
    Exec = case Pin of
               undefined -> #{};
               {_, SC} -> #{exec => {os:find_executable("taskset"),
                                     ["-c", SC, os:find_executable("erl")]}}
           end,
    case peer:start(Exec#{name => Name, args => Args, wait_boot => 30000}) of
        {ok, _Pid, Node} -> Node;
        {ok, _Pid} -> fatal("peer ~s started without distribution", [Name]);
        Err -> fatal("cannot start peer ~s: ~p", [Name, Err])
    end.

peer_ospid(Node) ->
    case rpc:call(Node, os, getpid, [], 10000) of
        P when is_list(P) -> list_to_integer(P);
        Err -> fatal("os:getpid on ~p: ~p", [Node, Err])
    end.

%% Pin the driver and the servers (all their threads) to disjoint CPU sets.
%% bin/bench already started the driver and jinet, and start_peer/3 the peers,
%% under taskset; this also covers a jinet node given with --node.
pin(undefined, _) -> ok;
pin({DC, SC}, Sides) ->
    Pids = lists:usort([S#side.ospid || S <- Sides, S#side.ospid =/= undefined]),
    [taskset(C, P) || {C, P} <- [{DC, list_to_integer(os:getpid())} |
                                 [{SC, P} || P <- Pids]]],
    ok.

taskset(Cpus, OsPid) ->
    Cmd = "taskset -a -p -c " ++ Cpus ++ " " ++ integer_to_list(OsPid) ++ " 2>&1; echo rc=$?",
    Out = os:cmd(Cmd),
    case string:find(Out, "rc=0") of
        nomatch -> fatal("~s failed: ~s", [Cmd, Out]);
        _ -> ok
    end.

rotate(L, 0) -> L;
rotate([H | T], N) -> rotate(T ++ [H], N - 1).

start_watchdog(ExpectedS) ->
    Limit = round(ExpectedS * 3 + 180) * 1000,
    spawn(fun() ->
                  timer:sleep(Limit),
                  io:format(standard_error,
                            "bench: watchdog: run exceeded ~b s, aborting~n",
                            [Limit div 1000]),
                  halt(4)
          end).

%%====================================================================
%% calls
%%====================================================================

%% block_call: what rpc:block_call/4 does (a gen_server call to rex), with a
%% timeout but without the middleman process rpc:block_call/5 spawns for the
%% timeout, which would double the driver's CPU per call.
call(block_call, Node, F, A, T) ->
    try gen_server:call({rex, Node}, {block_call, inet, F, A, group_leader()}, T)
    catch
        exit:{timeout, _} -> {badrpc, timeout};
        exit:{{nodedown, _}, _} -> {badrpc, nodedown};
        exit:Reason -> {badrpc, {'EXIT', Reason}}
    end;
call(call, Node, F, A, T) -> rpc:call(Node, inet, F, A, T);
call(erpc, Node, F, A, T) ->
    try erpc:call(Node, inet, F, A, T)
    catch C:R -> {badrpc, {C, R}}
    end.

path_name(block_call) -> "rpc:block_call";
path_name(call) -> "rpc:call";
path_name(erpc) -> "erpc:call".

is_error({badrpc, _}) -> true;
is_error(_) -> false.

self_check(Sides, Funs, Timeout) ->
    Bad = lists:append(
            [[{S, F, A, R, Exp}
              || A <- inputs(F),
                 R <- [call(S#side.path, S#side.node, F, A, Timeout)],
                 Exp <- [apply(inet, F, A)],
                 R =/= Exp]
             || S <- Sides, F <- Funs]),
    lists:foreach(
      fun({S, F, A, R, Exp}) ->
              io:format("self-check: ~s: inet:~s~p = ~p, local BEAM gives ~p~n",
                        [S#side.label, F, A, R, Exp])
      end, Bad),
    case [x || {_, _, _, R, _} <- Bad, is_error(R)] of
        [] when Bad =:= [] -> io:format("self-check: all sides return the local BEAM's terms~n");
        [] -> io:format("self-check: WARNING: ~b mismatching results (benchmark continues)~n",
                        [length(Bad)]);
        _ -> fatal("calls fail (badrpc), see above; wrong --path?", [])
    end.

%%====================================================================
%% one round
%%====================================================================

%% Runs C callers against side S for Secs seconds, in one piece (warm-ups).
run_round(S, F, C, Secs, Cfg) ->
    finalize(slice(S, F, C, Secs, Cfg), Cfg).

%% The rounds of a visit: every side runs for Secs seconds, in slices of about
%% slice seconds, the sides' slices interleaved (ABBA...), so that each side's
%% round samples the same stretch of time. Returns [{Side, Result}] in Order.
run_visit(Order, F, C, Secs, Cfg) ->
    K = max(1, round(Secs / maps:get(slice, Cfg))),
    Raws = lists:foldl(
             fun(J, Acc) ->
                     Seq = case J rem 2 of 1 -> Order; 0 -> lists:reverse(Order) end,
                     lists:foldl(
                       fun(S, Acc1) ->
                               Raw = slice(S, F, C, Secs / K, Cfg),
                               maps:update_with(S#side.label, fun(R0) -> add_raw(R0, Raw) end,
                                                Raw, Acc1)
                       end, Acc, Seq)
             end, #{}, lists:seq(1, K)),
    [{S, case finalize(maps:get(S#side.label, Raws), Cfg) of
             #{calls := 0, errors := E} when E > 0 ->
                 fatal("all ~b calls to ~s (~s) failed; is it still up?",
                       [E, S#side.label, S#side.node]);
             Res ->
                 Res
         end} || S <- Order].

%% One slice: C callers loop calls on side S for Secs seconds. Returns raw
%% counts (see add_raw/2 and finalize/2).
slice(#side{node = Node, path = Path, ospid = OsPid}, F, C, Secs, Cfg) ->
    Timeout = maps:get(timeout, Cfg),
    Inputs = list_to_tuple(inputs(F)),
    NIn = tuple_size(Inputs),
    Self = self(),
    Go = make_ref(),
    Hist = counters:new(?HIST_BUCKETS, [write_concurrency]),
    Pids = [spawn_link(fun() ->
                               receive {Go, Deadline} -> ok end,
                               Now = erlang:monotonic_time(),
                               Res = loop(Path, Node, F, Inputs, NIn, I rem NIn,
                                          Deadline, Timeout, Now, 0, 0, Hist),
                               Self ! {Go, self(), Res}
                       end) || I <- lists:seq(0, C - 1)],
    Dur = erlang:convert_time_unit(round(Secs * 1000000), microsecond, native),
    MyPid = list_to_integer(os:getpid()),
    KPids = maps:get(ksoftirqd, Cfg, #{}),
    Stat0 = proc_stat(),
    K0 = maps:map(fun(_, P) -> cpu_ticks(P) end, KPids),
    W0 = erlang:monotonic_time(),
    SCpu0 = cpu_ticks(OsPid),
    DCpu0 = cpu_ticks(MyPid),
    Start = erlang:monotonic_time(),
    [P ! {Go, Start + Dur} || P <- Pids],
    Done = [receive {Go, P, R} -> R end || P <- Pids],
    SCpu1 = cpu_ticks(OsPid),
    DCpu1 = cpu_ticks(MyPid),
    W1 = erlang:monotonic_time(),
    K1 = maps:map(fun(_, P) -> cpu_ticks(P) end, KPids),
    Stat1 = proc_stat(),
    %% softirq work done by ksoftirqd threads is mostly our own loopback traffic
    KTicks = maps:map(fun(Cpu, T1) -> case {maps:get(Cpu, K0), T1} of
                                          {A, B} when is_integer(A), is_integer(B) -> B - A;
                                          _ -> 0
                                      end
                      end, K1),
    STicks = diff(SCpu0, SCpu1),
    DTicks = diff(DCpu0, DCpu1),
    {FS, FD} = foreign_ticks(maps:get(cpusets, Cfg), Stat0, Stat1, KTicks, STicks, DTicks),
    End = lists:max([TEnd || {_, _, _, TEnd} <- Done]),
    #{calls => lists:sum([N || {N, _, _, _} <- Done]),
      errors => lists:sum([E || {_, E, _, _} <- Done]),
      lats => hist_counts(Hist),
      elapsed => erlang:convert_time_unit(End - Start, native, microsecond) / 1.0e6,
      wall => erlang:convert_time_unit(W1 - W0, native, microsecond) / 1.0e6,
      server_ticks => STicks, driver_ticks => DTicks,
      foreign_server_ticks => FS, foreign_driver_ticks => FD}.

add_raw(A, B) ->
    maps:map(fun(lats, V) -> V ++ maps:get(lats, B);
                (K, V) -> add(V, maps:get(K, B))
             end, A).

add(undefined, _) -> undefined;
add(_, undefined) -> undefined;
add(A, B) -> A + B.

%% Metrics of a round from its raw counts.
finalize(Raw, Cfg) ->
    #{calls := Calls, errors := Errs, elapsed := ElapsedS, wall := WallS,
      server_ticks := STicks, driver_ticks := DTicks,
      foreign_server_ticks := FS, foreign_driver_ticks := FD} = Raw,
    Lats = hist_merge(maps:get(lats, Raw)),
    Tck = maps:get(clk_tck, Cfg),
    {DSet, SSet} = maps:get(cpusets, Cfg),
    PerCall = fun(undefined) -> undefined;
                 (_) when Calls =:= 0 -> undefined;
                 (T) -> T * 1.0e6 / Tck / Calls
              end,
    Pct = fun(undefined, _) -> undefined;
             (T, Set) -> max(0, T) * 100 / (Tck * WallS * length(Set))
          end,
    [P50, P99] = hist_percentiles(Lats, ?PCTS),
    #{calls => Calls, errors => Errs, elapsed => ElapsedS,
      tput => case ElapsedS > 0 of true -> Calls / ElapsedS; false -> 0.0 end,
      p50 => P50, p99 => P99,
      server_ticks => STicks,
      cpu => PerCall(STicks),
      driver_ticks => DTicks,
      driver_cpu => PerCall(DTicks),
      server_busy => Pct(STicks, SSet),
      driver_busy => Pct(DTicks, DSet),
      foreign_server => Pct(FS, SSet),
      foreign_driver => Pct(FD, DSet)}.

%% #{Cpu => OsPid} of the kernel's ksoftirqd/Cpu threads.
ksoftirqd_pids() ->
    {ok, Ds} = file:list_dir("/proc"),
    maps:from_list(
      [{list_to_integer(N), list_to_integer(D)}
       || D <- Ds, lists:all(fun(Ch) -> Ch >= $0 andalso Ch =< $9 end, D),
          {ok, Comm} <- [file:read_file("/proc/" ++ D ++ "/comm")],
          "ksoftirqd/" ++ N <- [string:trim(binary_to_list(Comm))]]).

%% Busy ticks (everything but idle and iowait) per CPU, from /proc/stat.
proc_stat() ->
    {ok, B} = file:read_file("/proc/stat"),
    maps:from_list(
      [{binary_to_integer(N), lists:sum(V) - Idle - IoWait}
       || <<"cpu", Rest/binary>> <- binary:split(B, <<"\n">>, [global]),
          [N | Fs] <- [string:lexemes(Rest, " ")],
          N =/= <<>>, is_digit(N),
          [_User, _Nice, _Sys, Idle, IoWait | _] = V <- [[binary_to_integer(F) || F <- Fs]]]).

is_digit(<<C, _/binary>>) -> C >= $0 andalso C =< $9.

%% CPU ticks used during a slice on the CPUs of the server (and of the driver)
%% by anything but the measured server (and the driver): load from elsewhere
%% on this machine. Without pinning there is one set of CPUs, reported for both.
foreign_ticks(_, _, _, _, undefined, _) -> {undefined, undefined};
foreign_ticks(_, _, _, _, _, undefined) -> {undefined, undefined};
foreign_ticks({DSet, SSet}, S0, S1, KTicks, STicks, DTicks) ->
    Busy = fun(Set) -> lists:sum([maps:get(C, S1, 0) - maps:get(C, S0, 0)
                                  - maps:get(C, KTicks, 0) || C <- Set]) end,
    case DSet =:= SSet of
        true ->
            F = Busy(SSet) - STicks - DTicks,
            {F, F};
        false ->
            {Busy(SSet) - STicks, Busy(DSet) - DTicks}
    end.

diff(undefined, _) -> undefined;
diff(_, undefined) -> undefined;
diff(A, B) -> B - A.

loop(Path, Node, F, Inputs, NIn, I, Deadline, Timeout, T1, N, E, Hist)
  when T1 < Deadline ->
    R = call(Path, Node, F, element(I + 1, Inputs), Timeout),
    T2 = erlang:monotonic_time(),
    I2 = case I + 1 of NIn -> 0; J -> J end,
    case is_error(R) of
        false ->
            counters:add(Hist, hist_bucket(T2 - T1) + 1, 1),
            loop(Path, Node, F, Inputs, NIn, I2, Deadline, Timeout, T2,
                 N + 1, E, Hist);
        true ->
            loop(Path, Node, F, Inputs, NIn, I2, Deadline, Timeout, T2,
                 N, E + 1, Hist)
    end;
loop(_, _, _, _, _, _, _, _, T1, N, E, _) ->
    {N, E, none, T1}.

%% Latencies, in native time units, are counted in one histogram per slice,
%% shared by its callers: values below 2 * ?HIST_SUB exactly, above in
%% buckets of 1 / ?HIST_SUB of their size (0.2 %). A list per caller, as
%% before, grew with every call, and the driver's garbage collection of those
%% lists landed in the tail latency of whichever side made more calls.
hist_bucket(V) when V < 2 * ?HIST_SUB -> max(V, 0);
hist_bucket(V) ->
    E = min(bit_length(V) - ?HIST_BITS - 1, ?HIST_MAX_SHIFT),
    E * ?HIST_SUB + min(V bsr E, 2 * ?HIST_SUB - 1).

%% The middle of bucket B, in native time units.
hist_value(B) when B < 2 * ?HIST_SUB -> B;
hist_value(B) ->
    E = B div ?HIST_SUB - 1,
    ((B - E * ?HIST_SUB) bsl E) + ((1 bsl E) - 1) div 2.

bit_length(V) when V >= 1 bsl 16 -> 16 + bit_length(V bsr 16);
bit_length(V) when V >= 1 bsl 4 -> 4 + bit_length(V bsr 4);
bit_length(0) -> 0;
bit_length(V) -> 1 + bit_length(V bsr 1).

%% The non-empty buckets of a slice: [{Bucket, Count}].
hist_counts(Hist) ->
    [{B, C} || B <- lists:seq(0, ?HIST_BUCKETS - 1),
               C <- [counters:get(Hist, B + 1)], C > 0].

%% Slices' bucket lists summed into one, in bucket order.
hist_merge(Counts) ->
    lists:keysort(1, maps:to_list(
                       lists:foldl(fun({B, C}, M) -> maps:update_with(B, fun(X) -> X + C end, C, M) end,
                                   #{}, Counts))).

%% Nearest-rank percentiles of a merged histogram, in us (as percentiles/3).
hist_percentiles(Hist, Ps) ->
    Len = lists:sum([C || {_, C} <- Hist]),
    [case Len of
         0 -> undefined;
         _ -> erlang:convert_time_unit(hist_rank(Hist, max(1, min(Len, ceil(P * Len)))),
                                       native, nanosecond) / 1000
     end || P <- Ps].

hist_rank([{B, C} | _], K) when K =< C -> hist_value(B);
hist_rank([{_, C} | Rest], K) -> hist_rank(Rest, K - C).

%% Nearest-rank percentiles of a sorted list of native time units, in us.
percentiles(_, 0, Ps) -> [undefined || _ <- Ps];
percentiles(Sorted, Len, Ps) ->
    T = list_to_tuple(Sorted),
    [erlang:convert_time_unit(element(max(1, min(Len, ceil(P * Len))), T),
                              native, nanosecond) / 1000 || P <- Ps].

%% utime + stime of an OS process, in clock ticks (fields 14 and 15 of
%% /proc/PID/stat; the command name in field 2 may contain blanks).
cpu_ticks(undefined) -> undefined;
cpu_ticks(OsPid) ->
    case file:read_file("/proc/" ++ integer_to_list(OsPid) ++ "/stat") of
        {ok, B} ->
            [_, Rest] = string:split(B, ")", trailing),
            Fs = string:lexemes(Rest, " \n"),
            binary_to_integer(lists:nth(12, Fs)) + binary_to_integer(lists:nth(13, Fs));
        {error, _} ->
            undefined
    end.

%%====================================================================
%% statistics
%%====================================================================

median([]) -> undefined;
median(L0) ->
    L = lists:sort(L0),
    N = length(L),
    case N rem 2 of
        1 -> lists:nth(N div 2 + 1, L);
        0 -> (lists:nth(N div 2, L) + lists:nth(N div 2 + 1, L)) / 2
    end.

ratio(undefined, _) -> undefined;
ratio(_, undefined) -> undefined;
ratio(_, B) when B == 0 -> undefined;
ratio(A, B) -> A / B.

metrics() -> [tput, p50, p99, cpu, server_busy, driver_busy].


%% Summary: [{F, C, #{Label => #{Metric => {Median, Min, Max}}},
%%            #{BaseLabel => #{Metric => {RatioOfMedians, MedianOfPairedRatios}}},
%%            #{Label => {Calls, Errors}}}]
summarize(Results, Cand, Bases) ->
    Sides = [Cand | Bases],
    [begin
         Vals = fun(Label, M) ->
                        [maps:get(M, Res) || {L, _, Res} <- Rs, L =:= Label,
                                             maps:get(M, Res) =/= undefined]
                end,
         ByRound = fun(Label, M) ->
                           maps:from_list([{R, maps:get(M, Res)} || {L, R, Res} <- Rs,
                                                                     L =:= Label])
                   end,
         Stats = maps:from_list(
                   [{S#side.label,
                     maps:from_list(
                       [{M, case Vals(S#side.label, M) of
                                [] -> {undefined, undefined, undefined};
                                V -> {median(V), lists:min(V), lists:max(V)}
                            end} || M <- metrics()])} || S <- Sides]),
         Ratios = maps:from_list(
                    [{B#side.label,
                      maps:from_list(
                        [{M, begin
                                 {CMed, _, _} = maps:get(M, maps:get(Cand#side.label, Stats)),
                                 {BMed, _, _} = maps:get(M, maps:get(B#side.label, Stats)),
                                 CR = ByRound(Cand#side.label, M),
                                 BR = ByRound(B#side.label, M),
                                 Paired = [X || R <- maps:keys(CR),
                                                X <- [ratio(maps:get(R, CR),
                                                            maps:get(R, BR, undefined))],
                                                X =/= undefined],
                                 {ratio(CMed, BMed), median(Paired)}
                             end} || M <- metrics()])} || B <- Bases]),
         Counts = maps:from_list(
                    [{S#side.label,
                      {lists:sum(Vals(S#side.label, calls)),
                       lists:sum(Vals(S#side.label, errors))}} || S <- Sides]),
         {F, C, Stats, Ratios, Counts#{visits => {NClean, NVisits, OnlyClean}}}
     end || {F, C, {Rs, NClean, NVisits, OnlyClean}} <- Results].

%%====================================================================
%% output
%%====================================================================

print_header(Cfg, Sides, Expected) ->
    io:format("== jinet benchmark ==~n"),
    io:format("command:     ~ts~n", [maps:get(cmdline, Cfg)]),
    io:format("started:     ~ts~n", [calendar:system_time_to_rfc3339(erlang:system_time(second))]),
    io:format("driver:      ~p (OS pid ~s), OTP ~s, ~b schedulers, ~b CPUs online~n",
              [node(), os:getpid(), erlang:system_info(otp_release),
               erlang:system_info(schedulers_online),
               erlang:system_info(logical_processors_online)]),
    io:format("parameters:  rounds=~b seconds=~s warmup=~s cell_warmup=~s timeout=~bms clk_tck=~b~n",
              [maps:get(rounds, Cfg), fmt_s(maps:get(seconds, Cfg)), fmt_s(maps:get(warmup, Cfg)),
               fmt_s(maps:get(cell_warmup, Cfg)), maps:get(timeout, Cfg), maps:get(clk_tck, Cfg)]),
    io:format("             slice=~ss max_foreign=~s% makeup_budget=~bs~n",
              [fmt_s(maps:get(slice, Cfg)), fmt_s(maps:get(max_foreign, Cfg)),
               round(maps:get(makeup_budget, Cfg))]),
    io:format("             concurrency=~w functions=~w~n",
              [maps:get(concurrency, Cfg), maps:get(functions, Cfg)]),
    case maps:get(pin, Cfg) of
        undefined -> io:format("             no CPU pinning~n");
        {DC, SC} -> io:format("             pinned: driver to CPUs ~s, servers to CPUs ~s~n", [DC, SC])
    end,
    [io:format("~-16s ~s~s via ~s, server OS pid ~s~s~n",
               [S#side.label ++ ":",
                case S#side.role of cand -> "candidate "; base -> "baseline  " end,
                S#side.node, path_name(S#side.path),
                case S#side.ospid of undefined -> "unknown (no CPU column)";
                    P -> integer_to_list(P) end,
                server_info(S)])
     || S <- Sides],
    io:format("rounds alternate ~s (order rotates each round, slices of a round~n"
              "interleave ABBA); medians reported~n"
              "load from elsewhere = CPU time other processes took on the driver's or the servers' CPUs~n",
              [lists:join(" / ", [S#side.label || S <- Sides])]),
    io:format("expected measuring time: ~b s (+ up to ~b s to repeat disturbed rounds)~n~n",
              [round(Expected), round(maps:get(makeup_budget, Cfg))]).

%% What a BEAM server says about itself (a jinet node answers only inet calls).
server_info(#side{label = "jinet"}) -> "";
server_info(#side{node = N}) ->
    case rpc:call(N, erlang, system_info, [schedulers_online], 5000) of
        I when is_integer(I) -> io_lib:format(", ~b schedulers", [I]);
        _ -> ""
    end.

out_files(Cfg) ->
    Prefix = case maps:get(out, Cfg) of
                 "" -> filename:join("/tmp", "jinet-bench-" ++ os:getpid());
                 P -> P
             end,
    ok = filelib:ensure_dir(Prefix),
    {Prefix ++ "-rounds.tsv", Prefix ++ ".tsv"}.

round_cols() ->
    ["function", "concurrency", "round", "position", "undisturbed", "side", "node", "path",
     "calls", "errors", "elapsed_s", "calls_per_s", "p50_us", "p99_us",
     "server_cpu_ticks", "server_cpu_us_per_call", "driver_cpu_ticks",
     "driver_cpu_us_per_call", "server_busy_pct", "driver_busy_pct",
     "foreign_load_server_cpus_pct", "foreign_load_driver_cpus_pct"].

write_round(RF, F, C, R, Pos, S, Res, Clean) ->
    io:format(RF, "~ts~n",
              [tsv([F, C, R, Pos, case Clean of true -> 1; false -> 0 end, S#side.label, S#side.node, S#side.path,
                    maps:get(calls, Res), maps:get(errors, Res),
                    maps:get(elapsed, Res), maps:get(tput, Res),
                    maps:get(p50, Res), maps:get(p99, Res),
                    maps:get(server_ticks, Res), maps:get(cpu, Res),
                    maps:get(driver_ticks, Res), maps:get(driver_cpu, Res),
                    maps:get(server_busy, Res), maps:get(driver_busy, Res),
                    maps:get(foreign_server, Res), maps:get(foreign_driver, Res)])]).

write_summary(File, Summary) ->
    Hdr = ["function", "concurrency", "undisturbed_rounds", "rounds_run",
           "medians_over", "side", "metric", "median", "min", "max",
           "baseline", "ratio_of_medians", "median_of_paired_ratios"],
    Lines =
        [tsv(Hdr) |
         lists:append(
           [begin
                {NClean, NVisits, OnlyClean} = maps:get(visits, Counts),
                Over = case OnlyClean of true -> "undisturbed"; false -> "incl_disturbed" end,
                Pre = [F, C, NClean, NVisits, Over],
                [tsv(Pre ++ [Label, M, Med, Min, Max, "", "", ""])
                 || {Label, Ms} <- lists:sort(maps:to_list(Stats)),
                    M <- metrics(),
                    {Med, Min, Max} <- [maps:get(M, Ms)]] ++
                    [tsv(Pre ++ ["candidate", M, "", "", "", BLabel, RoM, MoP])
                     || {BLabel, Rm} <- lists:sort(maps:to_list(Ratios)),
                        M <- metrics(),
                        {RoM, MoP} <- [maps:get(M, Rm)]]
            end || {F, C, Stats, Ratios, Counts} <- Summary])],
    ok = file:write_file(File, [[L, $\n] || L <- Lines]).

tsv(Fields) -> lists:join($\t, [field(X) || X <- Fields]).

field(undefined) -> "";
field(X) when is_float(X) -> float_to_list(X, [{decimals, 4}, compact]);
field(X) when is_integer(X) -> integer_to_list(X);
field(X) when is_atom(X) -> atom_to_list(X);
field(X) -> X.

progress(R, NR, I, NC, F, C, Rs, Sides, Foreign, Clean) ->
    Parts = [begin
                 [Res] = [Res || {L, _, Res} <- Rs, L =:= S#side.label],
                 io_lib:format("~s ~s/s ~sus", [S#side.label, fmt_num(maps:get(tput, Res)),
                                                 fmt_num(maps:get(p50, Res))])
             end || S <- Sides],
    io:format("round ~b/~b cell ~2b/~b ~-13s c=~-3b ~ts  load from elsewhere ~b%~s~n",
              [R, NR, I, NC, F, C, lists:join("  ", Parts), round(Foreign),
               case Clean of true -> ""; false -> " DISTURBED" end]).

print_tables(Summary, Cand, Bases, Cfg) ->
    lists:foreach(fun(B) -> print_table(Summary, Cand, B, Cfg) end, Bases).

print_table(Summary, Cand, Base, Cfg) ->
    CL = Cand#side.label, BL = Base#side.label,
    io:format("~n== ~s (~s, ~s) vs ~s (~s, ~s): medians of ~b rounds x ~ss ==~n",
              [CL, Cand#side.node, path_name(Cand#side.path),
               BL, Base#side.node, path_name(Base#side.path),
               maps:get(rounds, Cfg), fmt_s(maps:get(seconds, Cfg))]),
    io:format("ratio = median over the rounds of ~s / ~s in the same round (the ratio of the~n"
              "medians is in the TSV); throughput ratio < 1, latency/CPU ratio > 1: ~s is slower~n",
              [CL, BL, CL]),
    W = 10,
    Grp = fun(Title) -> string:pad(Title, 3 * W + 2, both, $\s) end,
    io:format("~-13s ~4s | ~ts | ~ts | ~ts | ~ts | ~s~n",
              ["", "", Grp("calls/s"), Grp("p50 latency us"), Grp("p99 latency us"),
               Grp("server CPU us/call"), "rounds"]),
    Sub = io_lib:format("~*s ~*s ~*s", [W, short(CL), W, short(BL), W, "ratio"]),
    io:format("~-13s ~4s | ~ts | ~ts | ~ts | ~ts | ~s~n",
              ["function", "conc", Sub, Sub, Sub, Sub, "ok/run"]),
    io:format("~s~n", [lists:duplicate(13 + 1 + 4 + 4 * (3 + 3 * W + 2) + 11, $-)]),
    lists:foreach(
      fun({F, C, Stats, Ratios, Counts}) ->
              DrvMark = fun(L) ->
                                case maps:get(driver_busy, maps:get(L, Stats)) of
                                    {D, _, _} when is_number(D), D >= 85 -> "*";
                                    _ -> ""
                                end
                        end,
              Cols = [begin
                          {CM, _, _} = maps:get(M, maps:get(CL, Stats)),
                          {BM, _, _} = maps:get(M, maps:get(BL, Stats)),
                          {_, R} = maps:get(M, maps:get(BL, Ratios)),
                          {CS, BS} = case M of
                                         tput -> {DrvMark(CL), DrvMark(BL)};
                                         _ -> {"", ""}
                                     end,
                          io_lib:format("~*s ~*s ~*s",
                                        [W, fmt_num(CM) ++ CS, W, fmt_num(BM) ++ BS,
                                         W, fmt_ratio(R)])
                      end || M <- [tput, p50, p99, cpu]],
              Errs = [io_lib:format(" (~s: ~b errors)", [L, E])
                      || {L, {_, E}} <- maps:to_list(Counts), E > 0,
                         L =:= CL orelse L =:= BL],
              {NClean, NVisits, OnlyClean} = maps:get(visits, Counts),
              Used = io_lib:format("~b/~b~s", [NClean, NVisits,
                                                case OnlyClean of true -> ""; false -> "!" end]),
              io:format("~-13s ~4b | ~ts | ~ts~ts~n",
                        [F, C, lists:join(" | ", Cols), Used, Errs])
      end, Summary),
    io:format("* = the driver's CPUs were >= 85% busy (median): the driver may limit this throughput~n"),
    io:format("rounds ok/run: rounds without load from elsewhere (> ~s% of the CPUs) / rounds run;~n"
              "  medians are over the least disturbed rounds; '!' = some of them were disturbed~n",
              [fmt_s(maps:get(max_foreign, Cfg))]).

short(L) when length(L) > 10 -> lists:sublist(L, 10);
short(L) -> L.

fmt_num(undefined) -> "n/a";
fmt_num(X) when X >= 1000 -> integer_to_list(round(X));
fmt_num(X) when X >= 100 -> float_to_list(float(X), [{decimals, 0}]);
fmt_num(X) when X >= 10 -> float_to_list(float(X), [{decimals, 1}]);
fmt_num(X) -> float_to_list(float(X), [{decimals, 2}]).

fmt_s(X) -> float_to_list(float(X), [{decimals, 3}, compact]).

fmt_ratio(undefined) -> "n/a";
fmt_ratio(X) -> float_to_list(float(X), [{decimals, 2}]).

%% In BEAM-vs-BEAM mode both sides are identical, so every ratio should be
%% 1.00 +- 0.05; print how many cells are within that band.
print_validation(Summary, beam, Bases) ->
    io:format("~n== method check (BEAM vs BEAM: ratios should be 1.00 +- 0.05) ==~n"
              "cells within the band, of all cells [of the cells with enough undisturbed rounds]~n"),
    lists:foreach(
      fun(B) ->
              BL = B#side.label,
              lists:foreach(
                fun(M) ->
                        Get = fun(Which) ->
                                      [{X, Clean}
                                       || {_, _, _, Ratios, Counts} <- Summary,
                                          {RoM, MoP} <- [maps:get(M, maps:get(BL, Ratios))],
                                          X <- [case Which of paired -> MoP; rom -> RoM end],
                                          X =/= undefined,
                                          {_, _, Clean} <- [maps:get(visits, Counts)]]
                              end,
                        report_band(BL, M, "paired (table)", Get(paired)),
                        report_band(BL, M, "ratio of medians", Get(rom))
                end, [tput, p50, p99, cpu])
      end, Bases);
print_validation(_, _, _) ->
    ok.

report_band(_, _, _, []) -> ok;
report_band(BL, M, What, XCs) ->
    InBand = fun(L) -> length([R || R <- L, abs(R - 1) =< 0.05]) end,
    Rs = [R || {R, _} <- XCs],
    Cs = [R || {R, true} <- XCs],
    io:format("vs ~s ~-4s ~-16s: ~2b/~b [~b/~b] within, range ~.2f..~.2f~s~n",
              [BL, M, What, InBand(Rs), length(Rs), InBand(Cs), length(Cs),
               lists:min(Rs), lists:max(Rs),
               case Cs of
                   [] -> "";
                   _ -> io_lib:format(" [~.2f..~.2f]", [lists:min(Cs), lists:max(Cs)])
               end]).
