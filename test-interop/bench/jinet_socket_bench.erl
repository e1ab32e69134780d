%% jinet_socket_bench: the driver of bin/bench-sockets.
%%
%% Measures sockets hosted by a jinet node and used from Erlang through
%% gen_tcp with {tcp_module, jinet_tcp}, against what BEAM does in the same
%% role, in one run:
%%
%%   sockets  many idle TCP sockets on the node under test (pairs: a listener
%%            there, connects to it and accepts from it): call latency,
%%            memory per socket, threads, time to open them. jinet's are
%%            opened from this node (their owners live here); BEAM's by
%%            processes a BEAM node spawns itself (erpc).
%%   stream   one stream delivered in active mode to an owner process here:
%%            a jinet socket receiving from a sender node, against a BEAM
%%            "relay" node that owns a gen_tcp socket and forwards each
%%            {tcp, _, Data} to the owner; throughput at the owner and CPU of
%%            the hosting node per MB; bytes and CRC-32 checked.
%%
%% The rows make one table (measure, jinet, BEAM, ratio, target, met), as in
%% bin/bench-node, whose node handling, sampling and table it uses
%% (jinet_node_bench, with jinet_bench's statistics). See README.md next to
%% this file.
%%
%% Started by bin/bench-sockets as
%%   erl -noshell -hidden -sname ... -pa DIR -run jinet_socket_bench main key=value ...
%% with jinet_bench, jinet_node_bench and the jinet client (erlang/src) in DIR.
%% All traffic is on 127.0.0.1.
-module(jinet_socket_bench).

-export([main/1]).
%% The measures, run by jinet_node_bench:run_measure/3.
-export([measure/2, bound/2, describe/2]).
%% Run where the sockets' owners are (this node for jinet, the BEAM node
%% under test for BEAM), the sender and the relay on their nodes.
-export([open_pairs/4, close_pairs/1, sender_start/3, relay_start/3]).

-include("jinet_node_bench.hrl").

-import(jinet_bench, [fatal/2, cpu_ticks/1, median/1, ratio/2, fmt_num/1, fmt_s/1]).
-import(jinet_node_bench, [run_main/2, config/5, init_nodes/0, run_measure/3, start_node/4,
                           stop_node/1, one_call/1, load_code/2, sample/1,
                           fd_limit/1, start_sampler/3, start_prober/2, stop_collector/1,
                           p99/1, p50/1, max_of/2, mb/1, k/1, names/1,
                           now_ms/0, secs/1, clk_tck/0, row/6,
                           table/2, tsv_rows/1, out_files/1]).

-define(MEASURES, [sockets, stream]).
-define(LOOPBACK, {127, 0, 0, 1}).
-define(MIB, 1048576).

%%====================================================================
%% entry point
%%====================================================================

main(Args) ->
    run_main("bench-sockets", fun() -> run(parse_args(Args)) end).

%%====================================================================
%% configuration
%%====================================================================

defaults() ->
    #{measures => "sockets,stream",
      quick => "0",
      jinet_cmd => "bin/jinet",
      tmp => "/tmp",
      pids_file => "",        % OS pids of started nodes, for bin/bench-sockets' clean-up
      out => "",
      cmdline => "",
      sockets => "10000",     % sockets on the node (pairs: half connected, half accepted)
      openers => "4",         % processes opening them, each owning its share
      warmup_calls => "20000", % probe calls made before measuring
      warmup_pairs => "100",  % opened and closed before measuring
      window => "3",          % s of latency probes idle, and again with all open
      probe_ms => "1",        % pause between latency probes
      settle => "2",          % s between the last open and the "open" sample
      stream_mb => "1024",    % MiB per measured stream
      warmup_mb => "64",      % MiB streamed on each side before measuring
      stream_runs => "3",     % measured streams per side, alternating
      chunk_kb => "64",       % size of the sender's binaries
      relay_buffer => "0",    % {buffer, N} of the relay's socket; 0: BEAM's default
      stall => "30",          % s without data: the stream has stalled
      start_timeout => "120",
      tag => ""}.             % ends every node name (bin/bench-sockets' clean-up)

parse_args(Args) ->
    M = config(Args, defaults(), ?MEASURES,
               [sockets, openers, warmup_calls, warmup_pairs, probe_ms, stream_mb, warmup_mb,
                stream_runs, chunk_kb, relay_buffer],
               [window, settle, stall, start_timeout]),
    [fatal("~s must be at least ~b", [K, Min])
     || {K, Min} <- [{sockets, 2}, {openers, 1}, {stream_mb, 1}, {stream_runs, 1}, {chunk_kb, 1}],
        maps:get(K, M) < Min],
    M.


%%====================================================================
%% the run
%%====================================================================

run(Cfg) ->
    init_nodes(),
    T0 = now_ms(),
    io:format("~ts", [header_text(Cfg)]),
    Rows = lists:append([run_measure(?MODULE, M, Cfg) || M <- maps:get(measures, Cfg)]),
    Table = table("sockets on the node", Rows),
    io:format("~n~ts", [Table]),
    {TxtFile, TsvFile} = out_files(Cfg),
    ok = file:write_file(TxtFile, unicode:characters_to_binary([header_text(Cfg), "\n", Table])),
    ok = file:write_file(TsvFile, unicode:characters_to_binary(tsv_rows(Rows))),
    io:format("~nresults: ~ts~n         ~ts~n", [TxtFile, TsvFile]),
    io:format("run time: ~.1f s~n", [(now_ms() - T0) / 1000]).

%% Upper bounds, s, generous: the measure is stopped when it exceeds it.
bound(M, Cfg) ->
    #{start_timeout := ST} = Cfg,
    Start = 3 * ST,
    Start + 60 +
        case M of
            sockets ->
                %% opening and closing at 200 sockets/s at worst
                2 * (3 * maps:get(window, Cfg) + 3 * maps:get(settle, Cfg) + 30
                     + 2 * maps:get(sockets, Cfg) / 200);
            stream ->
                %% every stream at 20 MB/s at worst
                Mb = maps:get(warmup_mb, Cfg) + maps:get(stream_runs, Cfg) * maps:get(stream_mb, Cfg),
                2 * (Mb / 20 + maps:get(stall, Cfg) + 10 * (1 + maps:get(stream_runs, Cfg)))
        end.

describe(sockets, Cfg) ->
    io_lib:format("~b idle TCP sockets on the node (~b connected pairs), ~b openers",
                  [2 * pairs(Cfg), pairs(Cfg), maps:get(openers, Cfg)]);
describe(stream, Cfg) ->
    io_lib:format("~b x ~b MiB in ~b KiB binaries to an active-mode owner, after ~b MiB warm-up; "
                  "jinet socket vs BEAM relay~s",
                  [maps:get(stream_runs, Cfg), maps:get(stream_mb, Cfg), maps:get(chunk_kb, Cfg),
                   maps:get(warmup_mb, Cfg), relay_buffer_text(Cfg)]).

relay_buffer_text(#{relay_buffer := 0}) -> "";
relay_buffer_text(#{relay_buffer := B}) -> io_lib:format(" ({buffer, ~b})", [B]).

pairs(Cfg) -> maps:get(sockets, Cfg) div 2.

%%====================================================================
%% the measures; each returns rows
%%====================================================================

measure(sockets, Cfg) -> sockets(Cfg);
measure(stream, Cfg) -> stream(Cfg).

%%====================================================================
%% sockets: many idle sockets on the node
%%====================================================================

sockets(Cfg) ->
    R = #{jinet => sockets_side(jinet, Cfg), beam => sockets_side(beam, Cfg)},
    G = fun(Key) -> {maps:get(Key, maps:get(jinet, R)), maps:get(Key, maps:get(beam, R))} end,
    Row = fun(Label, Key, Target, Check) -> {J, B} = G(Key), row(sockets, Label, J, B, Target, Check) end,
    JR = maps:get(jinet, R),
    K = 2 * pairs(Cfg),
    [Row("descriptor limit of the node (soft/hard)", limit, "", none),
     Row(io_lib:format("sockets opened (of ~b)", [K]), opened, io_lib:format("~b", [K]),
         fun(J, _) -> J =:= K end),
     Row("time to open them (s)", open_s, "", none),
     Row("descriptors before / all open", fds, "", none),
     Row("time to close them (s)", close_s, "", none),
     Row("call p99 idle, before opening (us)", p99_idle, "", none),
     Row("call p99 while opening (us)", p99_opening, "", none),
     Row("call p99 while all open (us)", p99_open, "", none),
     Row("call p99 idle, after closing (us)", p99_after, "", none),
     Row("call p99 while all open / idle (lower)", p99_factor, "<= 2", fun(J, _) -> J =< 2 end),
     Row("call p50 while all open / idle (lower)", p50_factor, "", none),
     Row("calls from opening to the end: ok / failed", calls, "0 failed",
         fun(_, _) -> maps:get(failed, JR) =:= 0 end),
     Row("RSS before opening (MB)", rss_before, "", none),
     Row("RSS with all open (MB)", rss_open, "", none),
     Row("RSS after closing (MB)", rss_after, "", none),
     Row("memory per idle socket (bytes)", per_socket, "<= 4096", fun(J, _) -> J =< 4096 end),
     Row("threads, fresh node", threads_idle, "", none),
     Row("threads before opening (after warm-up)", threads_before, "", none),
     %% Fixed means not per socket: a thread of the blocking pool may start for
     %% a host name's lookup (connect "localhost"), 10,000 sockets add none.
     Row("threads, max while opening / open", threads_max, "<= fresh + 2",
         fun(J, _) -> J =< maps:get(threads_idle, JR) + 2 end),
     Row("threads after closing", threads_after, "", none)].

sockets_side(Kind, Cfg) ->
    #{openers := Par, warmup_pairs := WP, window := Win, probe_ms := PMs, settle := Settle} = Cfg,
    Pairs = pairs(Cfg),
    N = start_node(Kind, "sb_so_" ++ k(Kind), [], Cfg),
    one_call(N),
    Os = N#nd.ospid,
    Limit = fd_limit(Os),
    case Limit of
        {Soft, _} when Soft < 2 * Pairs + 100 ->
            fatal("~s: descriptor limit ~b is too low for ~b sockets (bin/bench-sockets raises "
                  "its own limit as far as the hard limit allows)", [N#nd.name, Soft, 2 * Pairs]);
        _ -> ok
    end,
    S0 = sample(Os),
    Host = host(Kind, N),
    Opts = sock_opts(Kind, N),
    %% warm-up: the code paths of the calls, connect, accept and close; the
    %% idle window starts when it has settled too
    warm_calls(N#nd.name, maps:get(warmup_calls, Cfg)),
    Prober = start_prober(N#nd.name, PMs),
    {ok, W, _, _, _} = on_host(Host, open_pairs, [Opts, WP, Par, 10000]),
    ok = on_host(Host, close_pairs, [W]),
    timer:sleep(round(Settle * 1000)),
    Sampler = start_sampler(Os, 200, fun() -> 0 end),
    TIdle = now_ms(),
    timer:sleep(round(Win * 1000)),
    S1 = sample(Os),
    TOpen = now_ms(),
    {ok, H, OpenMs, Opened, Failed} = on_host(Host, open_pairs, [Opts, Pairs, Par, 10000]),
    TOpened = now_ms(),
    io:format("~s: ~b sockets open in ~.2f s (~b connects failed); ~s s to settle, ~s s of "
              "calls, close, again~n", [Kind, Opened, OpenMs / 1000, Failed, fmt_s(Settle), fmt_s(Win)]),
    timer:sleep(round(Settle * 1000)),
    TWin = now_ms(),
    timer:sleep(round(Win * 1000)),
    TWinEnd = now_ms(),
    S2 = sample(Os),
    TClose = now_ms(),
    ok = on_host(Host, close_pairs, [H]),
    TClosed = now_ms(),
    timer:sleep(round(Settle * 1000)),
    TAfter = now_ms(),
    timer:sleep(round(Win * 1000)),
    S3 = sample(Os),
    TEnd = now_ms(),
    Samples = stop_collector(Sampler),
    Lats = stop_collector(Prober),
    stop_node(N),
    LIdle = [L || {T, L, ok} <- Lats, T >= TIdle, T < TOpen],
    LOpening = [L || {T, L, ok} <- Lats, T >= TOpen, T < TOpened],
    LOpen = [L || {T, L, ok} <- Lats, T >= TWin, T < TWinEnd],
    LAfter = [L || {T, L, ok} <- Lats, T >= TAfter, T < TEnd],
    Ok = length([x || {T, _, ok} <- Lats, T >= TOpen, T < TEnd]),
    Bad = length([x || {T, _, failed} <- Lats, T >= TOpen, T < TEnd]),
    While = [S || {T, S} <- Samples, T >= TOpen, T < TClose] ++ [S2],
    %% the idle reference: the quieter of the windows before and after
    P99I = p99(LIdle),
    P99A = p99(LAfter),
    P99Ref = case [X || X <- [P99I, P99A], is_number(X)] of [] -> undefined; Xs -> lists:min(Xs) end,
    P50Ref = case [X || X <- [p50(LIdle), p50(LAfter)], is_number(X)] of [] -> undefined; Ys -> lists:min(Ys) end,
    P99O = p99(LOpen),
    PerSocket = case {maps:get(rss_kb, S1), maps:get(rss_kb, S2)} of
                    {A, B} when is_integer(A), is_integer(B), Opened > 0 -> (B - A) * 1024 / Opened;
                    _ -> undefined
                end,
    Res = #{limit => case Limit of {L1, L2} -> io_lib:format("~b/~b", [L1, L2]); _ -> "?" end,
            opened => Opened, open_s => OpenMs / 1000,
            fds => io_lib:format("~p / ~p", [maps:get(fds, S1), maps:get(fds, S2)]),
            p99_idle => P99I, p99_opening => p99(LOpening), p99_open => P99O, p99_after => P99A,
            p99_factor => ratio(P99O, P99Ref), p50_factor => ratio(p50(LOpen), P50Ref),
            close_s => (TClosed - TClose) / 1000,
            calls => io_lib:format("~b / ~b", [Ok, Bad]), failed => Bad,
            rss_before => mb(S1), rss_open => mb(S2), rss_after => mb(S3),
            per_socket => PerSocket,
            threads_idle => maps:get(threads, S0), threads_before => maps:get(threads, S1),
            threads_max => max_of(threads, While), threads_after => maps:get(threads, S3)},
    io:format("~s: RSS ~s -> ~s MB (~s bytes per socket), threads ~p -> ~p -> max ~p, "
              "p99 idle ~s us, all open ~s us, after closing ~s us~n",
              [Kind, fmt_num(mb(S1)), fmt_num(mb(S2)), fmt_num(PerSocket), maps:get(threads, S0),
               maps:get(threads, S1), maps:get(threads_max, Res), fmt_num(P99I), fmt_num(P99O),
               fmt_num(P99A)]),
    Res.

%% The call the latency probes make, K times in a row (the JIT's warm-up).
warm_calls(Node, K) ->
    [{ok, _} = rpc:call(Node, inet, parse_address, ["192.168.42.2"], 10000) || _ <- lists:seq(1, K)],
    ok.

%% Where the sockets' owners run: jinet's here (the sockets are on the
%% node), BEAM's on the node under test, which gets this module's code.
host(jinet, #nd{name = J}) ->
    application:set_env(jinet, node, J),
    node();
host(beam, #nd{name = B}) ->
    load_code(B, ?MODULE),
    B.

sock_opts(jinet, _) -> [{tcp_module, jinet_tcp}];
sock_opts(beam, _) -> [].

on_host(Host, F, A) when Host =:= node() -> apply(?MODULE, F, A);
on_host(Host, F, A) -> erpc:call(Host, ?MODULE, F, A, infinity).

%% Opens Pairs connected pairs: a listener on 127.0.0.1, Par processes each
%% connecting to it and accepting from it in turn, each the owner of what it
%% opened (active, binary), held until close_pairs/1. Returns
%% {ok, Keeper, Ms, SocketsOpened, ConnectsFailed}.
open_pairs(Opts, Pairs, Par, Timeout) ->
    Caller = self(),
    Ref = make_ref(),
    Keeper = spawn(fun() -> keeper(Caller, Ref, Opts, Pairs, Par, Timeout) end),
    MRef = erlang:monitor(process, Keeper),
    receive
        {Ref, Result} -> erlang:demonitor(MRef, [flush]), Result;
        {'DOWN', MRef, process, Keeper, Why} -> exit({keeper, Why})
    end.

close_pairs(Keeper) ->
    MRef = erlang:monitor(process, Keeper),
    Keeper ! close,
    receive {'DOWN', MRef, process, Keeper, _} -> ok end.

keeper(Caller, Ref, Opts, Pairs, Par, Timeout) ->
    SOpts = [binary, {active, true} | Opts],
    {ok, L} = gen_tcp:listen(0, [{ip, ?LOOPBACK}, {backlog, 1024} | SOpts]),
    {ok, Port} = inet:port(L),
    T0 = erlang:monotonic_time(),
    Self = self(),
    Ws = [spawn_link(fun() -> opener(Self, L, Port, SOpts, Share, Timeout) end)
          || Share <- shares(Pairs, Par), Share > 0],
    Rs = [receive {opened, W, Ok, Failed} -> {Ok, Failed} end || W <- Ws],
    Ms = erlang:convert_time_unit(erlang:monotonic_time() - T0, native, millisecond),
    Caller ! {Ref, {ok, Self, Ms, lists:sum([O || {O, _} <- Rs]), lists:sum([F || {_, F} <- Rs])}},
    receive close -> ok end,
    [begin W ! {close, self()}, receive {closed, W} -> ok end end || W <- Ws],
    gen_tcp:close(L).

shares(N, Par) -> [N div Par + case I =< N rem Par of true -> 1; false -> 0 end || I <- lists:seq(1, Par)].

opener(Keeper, L, Port, SOpts, Share, Timeout) ->
    {Socks, Failed} = open_share(L, Port, SOpts, Share, Timeout, []),
    Keeper ! {opened, self(), length(Socks), Failed},
    hold(Socks).

open_share(_, _, _, 0, _, Acc) ->
    {Acc, 0};
open_share(L, Port, SOpts, K, Timeout, Acc) ->
    case gen_tcp:connect(?LOOPBACK, Port, SOpts, Timeout) of
        {ok, C} ->
            case gen_tcp:accept(L, Timeout) of
                {ok, A} -> open_share(L, Port, SOpts, K - 1, Timeout, [A, C | Acc]);
                {error, _} -> {[C | Acc], K}
            end;
        {error, _} ->
            {Acc, K}
    end.

%% Idle: whatever arrives is dropped.
hold(Socks) ->
    receive
        {close, From} ->
            [gen_tcp:close(S) || S <- Socks],
            From ! {closed, self()};
        _ ->
            hold(Socks)
    end.

%%====================================================================
%% stream: one stream to an active-mode owner on this node
%%====================================================================

stream(Cfg) ->
    #{stream_runs := Runs, warmup_mb := WMb, stream_mb := Mb} = Cfg,
    J = start_node(jinet, "sb_st_j", [], Cfg),
    R = start_node(beam, "sb_st_relay", [], Cfg),
    S = start_node(beam, "sb_st_snd", [], Cfg),
    [one_call(N) || N <- [J, R, S]],
    [load_code(N#nd.name, ?MODULE) || N <- [R, S]],
    application:set_env(jinet, node, J#nd.name),
    Sides = #{jinet => J, beam => R},
    case WMb of
        0 -> ok;
        _ -> [stream_run(Side, maps:get(Side, Sides), S, WMb, "warm-up", Cfg) || Side <- [jinet, beam]]
    end,
    Results = lists:append(
                [[{Side, stream_run(Side, maps:get(Side, Sides), S, Mb,
                                    io_lib:format("run ~b/~b", [I, Runs]), Cfg)}
                  || Side <- case I rem 2 of 1 -> [jinet, beam]; 0 -> [beam, jinet] end]
                 || I <- lists:seq(1, Runs)]),
    [stop_node(N) || N <- [J, R, S]],
    Of = fun(Side) -> [X || {Sd, X} <- Results, Sd =:= Side] end,
    Med = fun(Side, Key) -> median([V || X <- Of(Side), V <- [maps:get(Key, X)], is_number(V)]) end,
    Max = fun(Side, Key) ->
                  case [V || X <- Of(Side), V <- [maps:get(Key, X)], is_number(V)] of
                      [] -> undefined;
                      Vs -> lists:max(Vs)
                  end
          end,
    Checked = fun(Side, Key) ->
                      Bad = [X || X <- Of(Side), not maps:get(Key, X)],
                      io_lib:format("~b / ~b", [length(Of(Side)) - length(Bad), length(Of(Side))])
              end,
    RowM = fun(Label, Key, Target, Check) ->
                   row(stream, Label, Med(jinet, Key), Med(beam, Key), Target, Check)
           end,
    RowX = fun(Label, Key) -> row(stream, Label, Max(jinet, Key), Max(beam, Key), "", none) end,
    JTput = Med(jinet, tput),
    JCpu = Med(jinet, host_cpu),
    BCpu = Med(beam, host_cpu),
    AllOk = fun(Side) -> lists:all(fun(X) -> maps:get(bytes_ok, X) andalso maps:get(crc_ok, X) end,
                                   Of(Side)) end,
    Of(jinet) =/= [] orelse fatal("no stream ran", []),
    [row(stream, io_lib:format("MB/s at the owner, median of ~b x ~b MiB", [Runs, Mb]),
         JTput, Med(beam, tput), ">= 1.0x relay", fun(J1, B1) -> J1 >= B1 end),
     row(stream, "MB/s, min..max", range(Of(jinet), tput), range(Of(beam), tput), "", none),
     row(stream, "hosting node CPU per MB (ms)", JCpu, BCpu, "<= relay",
         fun(J1, B1) -> J1 =< B1 end),
     RowM("owner node CPU per MB (ms)", owner_cpu, "", none),
     RowM("sender node CPU per MB (ms)", sender_cpu, "", none),
     RowM("deliveries to the owner, mean size (bytes)", mean_msg, "", none),
     RowX("hosting node RSS, max (MB)", rss_max),
     RowX("owner's message queue, max", queue_max),
     row(stream, "bytes at the owner = sent (runs)", Checked(jinet, bytes_ok), Checked(beam, bytes_ok),
         "all", fun(_, _) -> AllOk(jinet) end),
     row(stream, "CRC-32 at the owner = sender's (runs)", Checked(jinet, crc_ok), Checked(beam, crc_ok),
         "all", fun(_, _) -> AllOk(jinet) end)].

range(Xs, Key) ->
    case [V || X <- Xs, V <- [maps:get(Key, X)], is_number(V)] of
        [] -> undefined;
        Vs -> io_lib:format("~s..~s", [fmt_num(lists:min(Vs)), fmt_num(lists:max(Vs))])
    end.

%% One stream of Mb MiB from the sender node to this process: through a
%% jinet socket (on J, owned here) or through the relay node R.
stream_run(Side, Host, Snd, Mb, What, Cfg) ->
    #{chunk_kb := CK, relay_buffer := RB, stall := Stall} = Cfg,
    Bytes = Mb * ?MIB,
    {Sender, Port} = erpc:call(Snd#nd.name, ?MODULE, sender_start, [Bytes, CK * 1024, self()], 30000),
    {DataTag, CloseTag, Id, Close} =
        case Side of
            jinet ->
                {ok, Sock} = gen_tcp:connect(?LOOPBACK, Port,
                                             [{tcp_module, jinet_tcp}, binary, {active, true}], 10000),
                {tcp, tcp_closed, Sock, fun() -> gen_tcp:close(Sock) end};
            beam ->
                RP = erpc:call(Host#nd.name, ?MODULE, relay_start,
                               [Port, self(), [{buffer, RB} || RB > 0]], 30000),
                {relay_data, relay_closed, RP, fun() -> ok end}
        end,
    receive {Sender, accepted} -> ok after 10000 -> fatal("the sender accepted no connection", []) end,
    Owner = self(),
    Sampler = start_sampler(Host#nd.ospid, 100,
                            fun() -> element(2, process_info(Owner, message_queue_len)) end),
    Os = [Host#nd.ospid, list_to_integer(os:getpid()), Snd#nd.ospid],
    C0 = [cpu_ticks(P) || P <- Os],
    T0 = erlang:monotonic_time(),
    Sender ! {go, self()},
    Got = owner_loop(DataTag, CloseTag, Id, Bytes, 0, 0, 0, round(Stall * 1000)),
    T1 = erlang:monotonic_time(),
    C1 = [cpu_ticks(P) || P <- Os],
    Samples = stop_collector(Sampler),
    {Recv, Crc, Msgs, How} = Got,
    Sent = receive {Sender, sent, SB, SC} -> {SB, SC} after 10000 -> {undefined, undefined} end,
    Closed = case How of
                 closed -> true;
                 complete -> receive {CloseTag, Id} -> true after 10000 -> false end;
                 _ -> false
             end,
    Close(),
    flush_stream(DataTag, CloseTag, Id),
    Secs = secs(T1 - T0),
    Tck = clk_tck(),
    PerMb = fun(A, B) when is_integer(A), is_integer(B), Recv > 0 -> (B - A) * 1000 / Tck / (Recv / ?MIB);
               (_, _) -> undefined
            end,
    [HC, OC, SC1] = lists:zipwith(PerMb, C0, C1),
    Res = #{tput => Recv / ?MIB / Secs, host_cpu => HC, owner_cpu => OC, sender_cpu => SC1,
            mean_msg => case Msgs of 0 -> undefined; _ -> Recv / Msgs end,
            rss_max => case max_of(rss_kb, [X || {_, X} <- Samples]) of
                           undefined -> undefined;
                           Kb -> Kb / 1024
                       end,
            queue_max => max_of(extra, [X || {_, X} <- Samples]),
            bytes_ok => {Recv, Recv} =:= {Bytes, element(1, Sent)},
            crc_ok => How =/= stalled andalso Crc =:= element(2, Sent)},
    io:format("~s ~s: ~b of ~b bytes in ~.2f s, ~s MB/s, ~b deliveries, CRC ~s, ~s; CPU ms/MB: "
              "host ~s, owner ~s, sender ~s~n",
              [side_name(Side), What, Recv, Bytes, Secs, fmt_num(maps:get(tput, Res)), Msgs,
               case maps:get(crc_ok, Res) of true -> "ok"; false -> "WRONG" end,
               case {How, Closed} of
                   {stalled, _} -> "STALLED (nothing for " ++ fmt_s(Stall) ++ " s)";
                   {_, true} -> "closed";
                   {_, false} -> "no close seen"
               end, fmt_num(HC), fmt_num(OC), fmt_num(SC1)]),
    Res.

side_name(jinet) -> "jinet";
side_name(beam) -> "relay".

%% The owner: counts and checksums what arrives until Want bytes or the
%% close; {Bytes, Crc, Deliveries, complete | closed | stalled}.
owner_loop(DataTag, CloseTag, Id, Want, N, Crc, M, Stall) when N < Want ->
    receive
        {DataTag, Id, D} ->
            owner_loop(DataTag, CloseTag, Id, Want, N + byte_size(D), erlang:crc32(Crc, D), M + 1, Stall);
        {CloseTag, Id} ->
            {N, Crc, M, closed}
    after Stall ->
            {N, Crc, M, stalled}
    end;
owner_loop(_, _, _, _, N, Crc, M, _) ->
    {N, Crc, M, complete}.

flush_stream(DataTag, CloseTag, Id) ->
    receive
        {DataTag, Id, _} -> flush_stream(DataTag, CloseTag, Id);
        {CloseTag, Id} -> flush_stream(DataTag, CloseTag, Id)
    after 0 -> ok
    end.

%% On the sender node: a listener on 127.0.0.1; the sender accepts one
%% connection, tells Driver, and on {go, _} sends Bytes bytes in binaries of
%% Chunk bytes (a sequence number and a random block: no two alike) as fast
%% as gen_tcp:send takes them, shuts the writing side, tells Driver
%% {Sender, sent, Bytes, Crc32} and closes when the other end has.
sender_start(Bytes, Chunk, Driver) ->
    Caller = self(),
    Ref = make_ref(),
    P = spawn(fun() ->
                      {ok, L} = gen_tcp:listen(0, [binary, {active, false}, {ip, ?LOOPBACK}]),
                      {ok, Port} = inet:port(L),
                      Caller ! {Ref, Port},
                      {ok, A} = gen_tcp:accept(L, 30000),
                      gen_tcp:close(L),
                      Driver ! {self(), accepted},
                      Block = rand:bytes(max(0, Chunk - 8)),
                      BlockCrc = erlang:crc32(Block),
                      receive {go, _} -> ok end,
                      Crc = send_loop(A, Bytes, 0, Block, BlockCrc, 0),
                      ok = gen_tcp:shutdown(A, write),
                      Driver ! {self(), sent, Bytes, Crc},
                      _ = gen_tcp:recv(A, 0, 60000),
                      gen_tcp:close(A)
              end),
    receive {Ref, Port} -> {P, Port} after 10000 -> exit(no_listener) end.

send_loop(_, 0, _, _, _, Crc) ->
    Crc;
send_loop(A, Left, Seq, Block, BlockCrc, Crc) ->
    Full = <<Seq:64, Block/binary>>,
    {B, BCrc} = case byte_size(Full) =< Left of
                    true -> {Full, erlang:crc32_combine(erlang:crc32(<<Seq:64>>), BlockCrc,
                                                        byte_size(Block))};
                    false -> Part = binary:part(Full, 0, Left), {Part, erlang:crc32(Part)}
                end,
    ok = gen_tcp:send(A, B),
    send_loop(A, Left - byte_size(B), Seq + 1, Block, BlockCrc,
              erlang:crc32_combine(Crc, BCrc, byte_size(B))).

%% On the relay node: what a user would build without jinet, a process that
%% owns a gen_tcp socket (active, binary, Opts) and forwards each delivery to
%% Owner as {relay_data, Relay, Data}, then {relay_closed, Relay}.
relay_start(Port, Owner, Opts) ->
    Caller = self(),
    Ref = make_ref(),
    P = spawn(fun() ->
                      {ok, S} = gen_tcp:connect(?LOOPBACK, Port, [binary, {active, true} | Opts], 10000),
                      Caller ! {Ref, connected},
                      relay(S, Owner)
              end),
    receive {Ref, connected} -> P after 15000 -> exit(relay_not_connected) end.

relay(S, Owner) ->
    receive
        {tcp, S, D} -> Owner ! {relay_data, self(), D}, relay(S, Owner);
        {tcp_closed, S} -> Owner ! {relay_closed, self()};
        {tcp_error, S, _} -> gen_tcp:close(S), Owner ! {relay_closed, self()}
    end.

%%====================================================================
%% header
%%====================================================================

header_text(Cfg) ->
    Opts = case os:getenv("JINET_JAVA_OPTS") of
               false -> "";
               "" -> "";
               O -> " (JINET_JAVA_OPTS=" ++ O ++ ")"
           end,
    io_lib:format(
      "== jinet socket benchmark ==~n"
      "command:  ~ts~n"
      "started:  ~ts~n"
      "driver:   ~p (OS pid ~s), OTP ~s, ~b CPUs online, descriptor limit ~s~n"
      "jinet:    ~ts~ts, sockets through gen_tcp with {tcp_module, jinet_tcp}~n"
      "BEAM:     ~ts -noshell~n"
      "measures: ~s~s~n",
      [maps:get(cmdline, Cfg),
       calendar:system_time_to_rfc3339(erlang:system_time(second)),
       node(), os:getpid(), erlang:system_info(otp_release),
       erlang:system_info(logical_processors_online),
       case fd_limit(list_to_integer(os:getpid())) of
           {S, H} -> io_lib:format("~b/~b", [S, H]);
           _ -> "?"
       end,
       maps:get(jinet_cmd, Cfg), Opts, os:find_executable("erl"),
       names(maps:get(measures, Cfg)),
       case maps:get(quick, Cfg) of true -> " (quick: a smoke test)"; false -> "" end]).
