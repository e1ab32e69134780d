%% jinet's distribution runtime, compared with a BEAM peer node doing the same:
%% erpc and rpc call paths (values and exception shapes), spawn_request
%% replies, casts, timeouts and abandoned requests (no process left behind,
%% no stray message), monitors by pid and by name, demonitor, links and exit
%% signals, jinet monitoring Erlang processes (jinet_node:watch/2), lost
%% connections (noconnection), gen_server calls into rex, net_adm:ping.
%%
%% Each check runs a scenario against the BEAM peer and against jinet, with
%% BEAM-side stand-ins for jinet_node:idle/1 (this module's start_idle/1,
%% loaded on the peer with -pa), and compares the outcomes after replacing
%% stacks by '$stack' (a stack must be a list of frames, its contents are not
%% compared), node names by '$node', and pids and references by labels: the
%% peer's and jinet's must correspond one to one, position by position
%% (canon_pair/4). Where no peer counterpart exists (process counts, what
%% becomes of jinet's own processes) the expected term is built in the run
%% from jinet's own pids and names, and must hold those very terms. Every
%% receive is bounded.
%%
%% jinet_node:process_count() counts the caller's own spawned process: an
%% idle node answers 3 (net_kernel, rex, the caller's process); the cases that
%% create processes wait (bounded) for that baseline again.
%%
%% See jinet_diff for JINET_SEED, JINET_NODE and JINET_HOME. With
%% JINET_STANDIN=beam the suite is skipped (jinet_node is jinet's own).
-module(jinet_runtime_SUITE).

-include_lib("common_test/include/ct.hrl").

-export([suite/0, all/0, init_per_suite/1, end_per_suite/1,
         init_per_testcase/2, end_per_testcase/2]).
-export([ping/1, gen_server_call/1, multicall_parse_address/1,
         exception_shapes/1, spawn_request_replies/1,
         spawn_request_badopt/1, cast_no_leak/1, timeouts_no_leak/1,
         abandoned_requests_no_leak/1, monitor_by_pid/1, monitor_by_name/1,
         monitor_noproc/1, demonitor/1, rex_protocols/1, watch_local/1,
         watch_remote/1, links/1, link_exit_signals/1, exit_signal_order/1,
         disconnect/1, disconnect_from_ct/1, no_leaks_at_end/1]).
%% Run on the BEAM peer.
-export([start_idle/1, idle_loop/0, holder/5, watch/2]).

-define(T, 5000).          % ms to wait for a message that must come
-define(QUIET, 200).       % ms of silence that shows nothing more comes
-define(CALL_T, 10000).    % timeout of the calls that must answer

suite() ->
    [{timetrap, {minutes, 3}}].

all() ->
    [ping, gen_server_call, multicall_parse_address, exception_shapes,
     spawn_request_replies, spawn_request_badopt, cast_no_leak,
     timeouts_no_leak, abandoned_requests_no_leak, monitor_by_pid,
     monitor_by_name, monitor_noproc, demonitor, rex_protocols, watch_local,
     watch_remote, links, link_exit_signals, exit_signal_order, disconnect,
     disconnect_from_ct, no_leaks_at_end].

%%--------------------------------------------------------------------
%% Setup
%%--------------------------------------------------------------------

init_per_suite(Config) ->
    case os:getenv("JINET_STANDIN") of
        "beam" ->
            {skip, "JINET_STANDIN=beam: the jinet_node diagnostics this "
             "suite needs exist on jinet only"};
        _ ->
            start_nodes(Config)
    end.

start_nodes(Config) ->
    Seed = jinet_diff:seed(),
    say("jinet_runtime_SUITE: seed ~p (rerun with JINET_SEED=~p)",
        [Seed, Seed]),
    ok = jinet_diff:stats_restart(),
    T0 = erlang:monotonic_time(millisecond),
    case jinet_diff:start_node(#{root => jinet_diff:root(Config),
                                 log_dir => ?config(priv_dir, Config)}) of
        {ok, Handle = #{node := J, kind := Kind}} ->
            say("jinet_runtime_SUITE: testing ~p node ~p (up in ~b ms)",
                [Kind, J, erlang:monotonic_time(millisecond) - T0]),
            case start_peer() of
                {ok, Peer, P} ->
                    say("jinet_runtime_SUITE: BEAM peer ~p", [P]),
                    %% The peer has a connection to jinet (jinet makes
                    %% none), and the count of an idle node.
                    try
                        pong = erpc:call(P, net_adm, ping, [J], ?CALL_T),
                        process_count(J)
                    of
                        Base ->
                            say("jinet_runtime_SUITE: process count at "
                                "start: ~p", [Base]),
                            [{jinet, Handle}, {jnode, J}, {peer, Peer},
                             {pnode, P}, {seed, Seed}, {baseline, Base}
                             | Config]
                    catch
                        C:R:St ->
                            catch peer:stop(Peer),
                            {ok, _} = jinet_diff:stop_node(Handle),
                            jinet_diff:stats_stop_sync(),
                            {fail, {not_ready, C, R, St}}
                    end;
                {error, Why} ->
                    {ok, _} = jinet_diff:stop_node(Handle),
                    jinet_diff:stats_stop_sync(),
                    {fail, {peer_not_started, Why}}
            end;
        {error, Why} ->
            jinet_diff:stats_stop_sync(),
            say("jinet_runtime_SUITE: no node to test: ~tp", [Why]),
            {fail, {jinet_node_not_started, Why}}
    end.

%% A BEAM peer with this module on its code path (for start_idle/1 and
%% holder/5) and our cookie.
start_peer() ->
    Name = "jinet_rt_peer_" ++ os:getpid() ++ "_" ++
        integer_to_list(erlang:unique_integer([positive])),
    Dir = filename:dirname(code:which(?MODULE)),
    try peer:start(#{name => Name, wait_boot => 60000,
                     args => ["-setcookie", atom_to_list(erlang:get_cookie()),
                              "-pa", Dir]}) of
        {ok, Peer, Node} -> {ok, Peer, Node};
        Other -> {error, Other}
    catch
        C:R -> {error, {C, R}}
    end.

end_per_suite(Config) ->
    R = (catch peer:stop(?config(peer, Config))),
    {ok, Stop} = jinet_diff:stop_node(?config(jinet, Config)),
    jinet_diff:log("peer stopped: ~tp~njinet stopped: ~tp", [R, Stop]),
    Table = jinet_diff:format_summary(jinet_diff:summary(), 40),
    say("~njinet_runtime_SUITE summary (checks per case, jinet vs BEAM; "
        "node ~p, seed ~p):~n~ts",
        [?config(jnode, Config), ?config(seed, Config), Table]),
    jinet_diff:stats_stop_sync(),
    ok.

init_per_testcase(Case, Config) ->
    jinet_diff:seed_process(?config(seed, Config), Case),
    jinet_diff:flush(),
    Config.

end_per_testcase(_Case, _Config) ->
    process_flag(trap_exit, false),
    jinet_diff:flush(),
    ok.

%%--------------------------------------------------------------------
%% ping, gen_server calls
%%--------------------------------------------------------------------

ping(Config) ->
    {P, J} = nodes_of(Config),
    verdict(ping, Config,
            [{"net_adm:ping from the CT node", net_adm:ping(P),
              net_adm:ping(J)},
             {exact, "net_adm:ping from the BEAM peer", pong,
              erpc:call(P, net_adm, ping, [J], ?CALL_T)},
             {"gen_server:call({net_kernel, N}, {is_auth, node()})",
              gen_server:call({net_kernel, P}, {is_auth, node()}, ?CALL_T),
              gen_server:call({net_kernel, J}, {is_auth, node()}, ?CALL_T)}]).

%% gen_server:call/3 monitors the name with an alias and sends
%% {'$gen_call', {Pid, [alias|Ref]}, Request}.
gen_server_call(Config) ->
    {P, J} = nodes_of(Config),
    Dead = dead_pid(Config),
    DeadP = dead_pid_on(P),
    Calls =
        [{"rex {call, inet, parse_address, [\"1.2.3.4\"], user}",
          fun(N) -> gen_server:call({rex, N}, {call, inet, parse_address,
                                               ["1.2.3.4"], user}, ?CALL_T)
          end},
         {"rex {block_call, inet, parse_address, [\"::1\"], user}",
          fun(N) -> gen_server:call({rex, N}, {block_call, inet,
                                               parse_address, ["::1"], user},
                                    ?CALL_T)
          end},
         {"rex {call, inet, parse_ipv4_address, [foo], user}",
          fun(N) -> gen_server:call({rex, N}, {call, inet, parse_ipv4_address,
                                               [foo], user}, ?CALL_T)
          end},
         {"rex {call, nosuchmod, f, [], user}",
          fun(N) -> gen_server:call({rex, N}, {call, nosuchmod, f, [], user},
                                    ?CALL_T)
          end},
         {"gen_server:call({nosuch, N}, x, 2000)",
          fun(N) -> outcome(fun() -> gen_server:call({jinet_rt_nosuch, N}, x,
                                                     2000) end)
          end},
         {"gen_server:call(DeadPid, x, 2000)",
          fun(N) ->
                  D = case N of J -> Dead; P -> DeadP end,
                  outcome(fun() -> gen_server:call(D, x, 2000) end)
          end},
         {"gen_server:call(IdlePid, x, 300): no reply, timeout, no stray",
          fun(N) ->
                  I = new_idle(N, undefined),
                  R = outcome(fun() -> gen_server:call(I, x, 300) end),
                  I ! {exit, done},
                  {R, quiet()}
          end}],
    Checks = [{What, F(P), F(J)} || {What, F} <- Calls],
    Expected = {ok, {1, 2, 3, 4}},
    verdict(gen_server_call, Config,
            [{exact, "rex call answers {ok,{1,2,3,4}}", Expected,
              element(3, hd(Checks))} | Checks]),
    baseline(Config, gen_server_call).

%%--------------------------------------------------------------------
%% erpc:multicall to the peer and jinet: jinet's element equals the peer's
%%--------------------------------------------------------------------

multicall_parse_address(Config) ->
    {P, J} = nodes_of(Config),
    Edges = jinet_diff:parse_edge_strings(),
    Inputs = jinet_diff:parse_non_strings() ++
        [lists:nth(rand:uniform(length(Edges)), Edges)
         || _ <- lists:seq(1, 100)] ++
        [jinet_diff:random_parse_input() || _ <- lists:seq(1, 150)],
    Results = [{X, erpc:multicall([P, J], inet, parse_address, [X], 30000)}
               || X <- Inputs],
    Mismatches = [#{mfa => {inet, parse_address, [X]}, beam => B, jinet => R}
                  || {X, [B, R]} <- Results,
                     jinet_diff:canon_erpc(B) =/= jinet_diff:canon_erpc(R)],
    Classes = lists:foldl(fun({_, [B, _]}, Acc) ->
                                  maps:update_with(element(1, B),
                                                   fun(C) -> C + 1 end, 1, Acc)
                          end, #{}, Results),
    ct:log("~b inputs; outcome classes on the peer: ~p",
           [length(Inputs), Classes]),
    %% Inputs that raise must be among them (function_clause).
    true = maps:get(error, Classes, 0) > 0,
    jinet_diff:record("multicall_parse_address", length(Results),
                      length(Results) - length(Mismatches)),
    jinet_diff:report(ctx(multicall_parse_address, Config), Mismatches).

%%--------------------------------------------------------------------
%% Exception shapes through every call path
%%--------------------------------------------------------------------

exception_shapes(Config) ->
    {P, J} = nodes_of(Config),
    %% jinet serves nothing that throws or exits: undef and
    %% function_clause (and plain values) only.
    Calls = [{inet, nosuch, [1]}, {nosuchmod, f, []},
             {inet, ipv4_mapped_ipv6_address, [foo]},
             {inet, parse_ipv4_address, [foo]},
             {inet, parse_address, ["1.2.3.4"]}, {inet, parse_address, [foo]}],
    Paths =
        [{"rpc:call", fun(N, M, F, A) -> rpc:call(N, M, F, A, ?CALL_T) end},
         {"rpc:block_call",
          fun(N, M, F, A) -> rpc:block_call(N, M, F, A, ?CALL_T) end},
         {"erpc:call",
          fun(N, M, F, A) ->
                  outcome(fun() -> erpc:call(N, M, F, A, ?CALL_T) end)
          end},
         {"erpc:send_request + receive_response",
          fun(N, M, F, A) ->
                  R = erpc:send_request(N, M, F, A),
                  outcome(fun() -> erpc:receive_response(R, ?CALL_T) end)
          end},
         {"erpc:send_request + wait_response",
          fun(N, M, F, A) ->
                  R = erpc:send_request(N, M, F, A),
                  outcome(fun() -> erpc:wait_response(R, ?CALL_T) end)
          end},
         {"erpc:send_request + check_response",
          fun(N, M, F, A) ->
                  %% A request id is [Tag | MonitorRef]; the reply is the
                  %% monitor's 'DOWN' (or a spawn_reply error).
                  R = [_ | Mon] = erpc:send_request(N, M, F, A),
                  receive
                      Msg when is_tuple(Msg), tuple_size(Msg) >= 2,
                               element(2, Msg) =:= Mon ->
                          outcome(fun() -> erpc:check_response(Msg, R) end)
                  after ?T -> no_message
                  end
          end},
         {"erpc:multicall",
          fun(N, M, F, A) -> erpc:multicall([N], M, F, A, ?CALL_T) end},
         {"rpc:multicall",
          fun(N, M, F, A) -> rpc:multicall([N], M, F, A, ?CALL_T) end},
         {"rpc:async_call + nb_yield",
          fun(N, M, F, A) -> rpc:nb_yield(rpc:async_call(N, M, F, A),
                                          ?CALL_T) end},
         {"spawn_request [monitor]: 'DOWN' reason",
          fun(N, M, F, A) ->
                  R = erlang:spawn_request(N, M, F, A, [monitor]),
                  receive
                      {'DOWN', R, process, _, Reason} -> {down, Reason}
                  after ?T -> no_down
                  end
          end}],
    Checks = [{lists:flatten(io_lib:format("~ts ~p:~p~tp", [Path, M, F, A])),
               Fun(P, M, F, A), Fun(J, M, F, A)}
              || {Path, Fun} <- Paths, {M, F, A} <- Calls],
    %% A raised error's stack is a list of frames on both sides.
    NotStacks = [{What, S} || {What, B, R} <- Checks, S <- [B, R],
                              not stacks_are_lists(S)],
    Unanswered = [{What, S} || {What, B, R} <- Checks, S <- [B, R],
                               lists:member(S, [no_message, no_down])],
    ct:comment("jinet serves no function that throws or exits: undef, "
               "function_clause and values checked"),
    verdict(exception_shapes, Config,
            [{exact, "every error stack is a list of frames", [], NotStacks},
             {exact, "every path answered on both nodes", [], Unanswered}
             | Checks]),
    baseline(Config, exception_shapes).

%%--------------------------------------------------------------------
%% spawn_request: replies, monitors, links, tags, options
%%--------------------------------------------------------------------

spawn_request_replies(Config) ->
    {P, J} = nodes_of(Config),
    Ok = {inet, parse_address, ["1.2.3.4"]},
    Undef = {nosuchmod, f, []},
    Cases =
        [{Ok, [monitor]}, {Ok, [link, monitor]}, {Ok, [{reply, no}, monitor]},
         {Ok, [{reply, error_only}, monitor]}, {Ok, [{reply, yes}, monitor]},
         {Ok, [{reply_tag, rt_tag}, monitor]}, {Ok, [{monitor, [{tag, mtag}]}]},
         {Ok, [{reply, error_only}]}, {Ok, []},
         {Ok, [{priority, high}, monitor]}, {Ok, [{priority, low}, monitor]},
         {Ok, [{fullsweep_after, 10}, monitor]},
         {Ok, [{min_heap_size, 1000}, monitor]},
         {Ok, [{min_bin_vheap_size, 1000}, monitor]},
         {Ok, [{max_heap_size, #{size => 1000000}}, monitor]},
         {Ok, [{message_queue_data, off_heap}, monitor]},
         {Undef, [monitor]}, {Undef, [link, monitor]},
         {{inet, ntoa, [foo]}, [{monitor, [{tag, mtag}]}, link]}],
    Checks = [{lists:flatten(io_lib:format("spawn_request(N, ~p, ~p, ~tp, ~p)",
                                           [M, F, A, Opts])),
               spawn_messages(P, M, F, A, Opts),
               spawn_messages(J, M, F, A, Opts)}
              || {{M, F, A}, Opts} <- Cases],
    Others =
        [{"spawn/4 of watch/2: a pid there that makes a watcher of our "
          "target, which reports its exit; the spawned process has ended",
          fun(N) ->
                  V = spawn(fun target/0),
                  {M, F} = watch_mf(N),
                  Pid = spawn(N, M, F, [V, self()]),
                  Monitored = wait_monitored(V, 1),
                  V ! {exit, spawned},
                  Reports = watch_reports(V),
                  {node(Pid), Monitored, Reports,
                   ended(Pid, fun(R) -> R =:= normal end)}
          end},
         {"spawn/4 of nosuchmod:f(): a pid there that ends, nothing comes "
          "back",
          fun(N) ->
                  Pid = spawn(N, nosuchmod, f, []),
                  {node(Pid),
                   ended(Pid, fun({undef, St}) -> jinet_diff:is_stacktrace(St);
                                 (_) -> false
                              end),
                   jinet_diff:receive_all(?QUIET)}
          end},
         {"spawn_link/4 (trapping exits)",
          fun(N) -> trapping(fun() ->
                                     Pid = spawn_link(N, nosuchmod, f, []),
                                     receive {'EXIT', Pid, R} -> {exit, R}
                                     after ?T -> no_exit
                                     end
                             end)
          end},
         {"spawn_monitor/4", fun(N) ->
                                     {_, R} = spawn_monitor(N, nosuchmod, f,
                                                            []),
                                     wait_down(R)
                             end},
         {"spawn_opt/5 [monitor]",
          fun(N) -> {_, R} = spawn_opt(N, inet, parse_address, [foo],
                                       [monitor]),
                    wait_down(R)
          end}],
    verdict(spawn_request_replies, Config,
            Checks ++ [{What, F(P), F(J)} || {What, F} <- Others]),
    baseline(Config, spawn_request_replies).

%% Options the spawning node checks: BEAM answers
%% {spawn_reply, Ref, error, badopt} and starts nothing.
spawn_request_badopt(Config) ->
    {P, J} = nodes_of(Config),
    Bad = [bogus, {priority, bogus}, {fullsweep_after, -1},
           {message_queue_data, bad}, {min_heap_size, foo},
           {max_heap_size, foo}, 42, {link, x}, {error_handler, foo}],
    Checks = [{lists:flatten(io_lib:format("spawn_request(N, inet, "
                                           "parse_address, [\"1.2.3.4\"], "
                                           "[monitor, ~p])", [O])),
               spawn_messages(P, inet, parse_address, ["1.2.3.4"],
                              [monitor, O]),
               spawn_messages(J, inet, parse_address, ["1.2.3.4"],
                              [monitor, O])}
              || O <- Bad],
    verdict(spawn_request_badopt, Config, Checks),
    baseline(Config, spawn_request_badopt).

%% The messages a spawn_request brings (sorted: the order of a link's exit
%% signal and a monitor's 'DOWN' is exit_signal_order's), until the
%% monitor and link signals it asked for have come (or QUIET ms of
%% silence after a reply that ends it).
spawn_messages(N, M, F, A, Opts) ->
    trapping(
      fun() ->
              case outcome(fun() -> erlang:spawn_request(N, M, F, A, Opts)
                           end) of
                  {ok, ReqId} -> {request, collect_spawn(ReqId, Opts)};
                  Raised -> {raised, Raised}
              end
      end).

collect_spawn(ReqId, Opts) ->
    Deadline = erlang:monotonic_time(millisecond) + ?T,
    Reply = case lists:keyfind(reply, 1, Opts) of
                {reply, yes} -> true;
                false -> true;
                _ -> false
            end,
    Wanted = [down || monitor_wanted(Opts)] ++
        [exit || lists:member(link, Opts)] ++ [reply || Reply],
    %% Once what was asked for has come, a short silence ends it; when
    %% nothing was asked for, a longer one shows that nothing comes.
    Quiet = case Wanted of [] -> ?QUIET; _ -> 50 end,
    collect_spawn(ReqId, Wanted, Quiet, Deadline, []).

collect_spawn(ReqId, Wanted, Quiet, Deadline, Acc) ->
    Left = case Wanted of
               [] -> Quiet;
               _ -> max(0, Deadline - erlang:monotonic_time(millisecond))
           end,
    receive
        {_, ReqId, error, _} = M ->
            %% The spawn failed: nothing else comes.
            collect_spawn(ReqId, [], Quiet, Deadline, [M | Acc]);
        {_, ReqId, ok, _} = M ->
            collect_spawn(ReqId, Wanted -- [reply], Quiet, Deadline,
                          [M | Acc]);
        {_, ReqId, process, _, _} = M ->
            collect_spawn(ReqId, Wanted -- [down], Quiet, Deadline,
                          [M | Acc]);
        {'EXIT', _, _} = M ->
            collect_spawn(ReqId, Wanted -- [exit], Quiet, Deadline,
                          [M | Acc]);
        M ->
            collect_spawn(ReqId, Wanted, Quiet, Deadline, [M | Acc])
    after Left ->
            lists:sort(Acc)
    end.

monitor_wanted(Opts) ->
    lists:any(fun(monitor) -> true;
                 ({monitor, _}) -> true;
                 (_) -> false
              end, Opts).

%%--------------------------------------------------------------------
%% Casts, timeouts, abandoned requests: answers and no leaks
%%--------------------------------------------------------------------

%% A cast's return value says nothing (rpc:cast is always true, erpc:cast
%% always ok), so each cast here is judged by what it does: a cast of
%% watch/2 (jinet_node's on jinet, this module's on the peer) must leave a
%% watcher monitoring a target of ours, whose exit then brings its report.
cast_no_leak(Config) ->
    {P, J} = nodes_of(Config),
    Watch = fun watch_mf/1,
    Casts = [{"rpc:cast", fun(N, M, F, A) -> rpc:cast(N, M, F, A) end},
             {"erpc:cast", fun(N, M, F, A) -> erpc:cast(N, M, F, A) end},
             {"erpc:multicast",
              fun(N, M, F, A) -> erpc:multicast([N], M, F, A) end}],
    Effect = fun(N, Cast) ->
                     V = spawn(fun target/0),
                     {M, F} = Watch(N),
                     Returned = Cast(N, M, F, [V, self()]),
                     Monitored = wait_monitored(V, 1),
                     V ! {exit, done},
                     {Returned, Monitored, watch_reports(V)}
             end,
    Checks = [{What ++ " of watch/2: a watcher reports the target's exit",
               Effect(P, Cast), Effect(J, Cast)} || {What, Cast} <- Casts],
    %% Casts that fail there: nothing comes back (BEAM only logs).
    Failing = fun(N) ->
                      _ = [rpc:cast(N, inet, nosuch, [1]),
                           erpc:cast(N, inet, parse_ipv4_address, [foo]),
                           erpc:multicast([N, N], nosuchmod, f, []),
                           rpc:cast(N, inet, ntoa, [foo])],
                      jinet_diff:receive_all(?QUIET)
              end,
    %% 300 casts, a quarter of them watch casts on one target: all 75
    %% watchers must be there and report.
    Burst = fun(N) ->
                    V = spawn(fun target/0),
                    {M, F} = Watch(N),
                    _ = [case I rem 4 of
                             0 -> rpc:cast(N, inet, parse_address,
                                           [integer_to_list(I)]);
                             1 -> erpc:cast(N, inet, ntoa, [{1, 2, 3, I rem 256}]);
                             2 -> erpc:multicast([N], M, F, [V, self()]);
                             3 -> erpc:cast(N, inet, nosuch, [I])
                         end || I <- lists:seq(1, 300)],
                    Monitored = wait_monitored(V, 75),
                    V ! {exit, done},
                    Reports = watch_reports(V),
                    {Monitored, length(Reports), lists:usort(Reports),
                     jinet_diff:receive_all(?QUIET)}
            end,
    Rest = [{"failing casts bring nothing back", Failing(P), Failing(J)},
            {"300 casts: the 75 watch casts all take effect", Burst(P),
             Burst(J)}],
    Leak = wait_baseline(Config, 10000),
    verdict(cast_no_leak, Config,
            Checks ++ Rest ++
                [{exact, "process count back to the baseline", ok, Leak},
                 {exact, "jinet still answers", {ok, {1, 2, 3, 4}},
                  erpc:call(J, inet, parse_address, ["1.2.3.4"], ?CALL_T)}]).

%% true once N processes monitor V (5 s at most).
wait_monitored(V, N) ->
    Deadline = erlang:monotonic_time(millisecond) + ?T,
    wait_monitored(V, N, Deadline).

wait_monitored(V, N, Deadline) ->
    {monitored_by, Ms} = process_info(V, monitored_by),
    case length(Ms) >= N of
        true -> true;
        false ->
            case erlang:monotonic_time(millisecond) > Deadline of
                true -> {monitored_by, length(Ms)};
                false -> timer:sleep(10),
                         wait_monitored(V, N, Deadline)
            end
    end.

%% The watchers' reports of V's exit that arrive (the 'DOWN' reasons).
watch_reports(V) ->
    [R || {jinet_watch, _, {'DOWN', _, process, V0, R}} <- jinet_diff:receive_all(?QUIET),
          V0 =:= V].

%% Many concurrent calls with timeouts of 0..2 ms through erpc, rpc:call,
%% rpc:block_call and erpc:multicall: each answers the value or the path's
%% timeout, nothing arrives after it, nothing stays on the node.
timeouts_no_leak(Config) ->
    {P, J} = nodes_of(Config),
    Seed = ?config(seed, Config),
    Run = fun(N) ->
                  Workers = [spawn_monitor(fun() -> timeout_worker(N, Seed, I)
                                           end)
                             || I <- lists:seq(1, 40)],
                  Rs = [receive {'DOWN', Ref, process, Pid, R} -> R
                        after 60000 -> {worker_timeout, Pid}
                        end || {Pid, Ref} <- Workers],
                  Bad = [R || R <- Rs, not is_tuple(R) orelse
                                          element(1, R) =/= done],
                  {length(Bad), lists:sublist(Bad, 3),
                   lists:append([Wrong || {done, Wrong, _, _} <- Rs]),
                   lists:append([Stray || {done, _, Stray, _} <- Rs]),
                   lists:sum([T || {done, _, _, T} <- Rs]) > 0}
          end,
    {_, _, _, _, _} = Beam = Run(P),
    Jinet = Run(J),
    Leak = wait_baseline(Config, 10000),
    After = [erpc:call(J, inet, parse_address, [X], ?CALL_T)
             || X <- ["1.2.3.4", "::1", "1.2.3.4.5"]],
    verdict(timeouts_no_leak, Config,
            [{"{crashed workers, first crashes, wrong answers, stray "
              "messages, some timed out}", Beam, Jinet},
             {exact, "process count back to the baseline", ok, Leak},
             {exact, "later calls answer", [{ok, {1, 2, 3, 4}},
                                     {ok, {0, 0, 0, 0, 0, 0, 0, 1}},
                                     {error, einval}], After}]).

timeout_worker(N, Seed, I) ->
    jinet_diff:seed_process(Seed, {timeout_worker, I}),
    Calls = [{rand:uniform(4), rand:uniform(3) - 1,
              jinet_diff:random_parse_input()} || _ <- lists:seq(1, 25)],
    Results = [timeout_call(N, Kind, Tmo, X) || {Kind, Tmo, X} <- Calls],
    Wrong = [W || {wrong, W} <- Results],
    TimedOut = length([t || timeout <- Results]),
    Stray = jinet_diff:receive_all(?QUIET),
    exit({done, Wrong, Stray, TimedOut}).

timeout_call(N, Kind, Tmo, X) ->
    Value = inet:parse_address(X),
    {Got, Timeout} =
        case Kind of
            1 -> {outcome(fun() -> erpc:call(N, inet, parse_address, [X],
                                             Tmo) end),
                  {error, {erpc, timeout}}};
            2 -> {rpc:call(N, inet, parse_address, [X], Tmo),
                  {badrpc, timeout}};
            3 -> {rpc:block_call(N, inet, parse_address, [X], Tmo),
                  {badrpc, timeout}};
            4 -> {erpc:multicall([N, N], inet, parse_address, [X], Tmo),
                  [{error, {erpc, timeout}}, {error, {erpc, timeout}}]}
        end,
    Fine = case Kind of
               1 -> [{ok, Value}];
               4 -> [[A, B] || A <- [{ok, Value}, {error, {erpc, timeout}}],
                               B <- [{ok, Value}, {error, {erpc, timeout}}]];
               _ -> [Value]
           end,
    case Got of
        Timeout -> timeout;
        _ -> case lists:member(Got, Fine) of
                 true -> ok;
                 false -> {wrong, {Kind, Tmo, X, Got}}
             end
    end.

%% Requests never received, dropped collections, receive_response/2 with
%% timeout 0 (which abandons), requesters that die: nothing stays.
abandoned_requests_no_leak(Config) ->
    {P, J} = nodes_of(Config),
    Scenario =
        fun(N) ->
                Req = fun(I) -> erpc:send_request(N, inet, parse_address,
                                                  ["10.0.0." ++
                                                       integer_to_list(I)])
                      end,
                Dropped = [Req(I) || I <- lists:seq(1, 100)],
                Coll = lists:foldl(
                         fun(I, C) ->
                                 erpc:send_request(N, inet, ntoa,
                                                   [{10, 0, 0, I}], I, C)
                         end, erpc:reqids_new(), lists:seq(1, 50)),
                Zero = [outcome(fun() -> erpc:receive_response(Req(I), 0) end)
                        || I <- lists:seq(1, 50)],
                %% Each answers or times out (which one is a race).
                ZeroKinds = lists:usort([zero_kind(Z) || Z <- Zero]) --
                    [answered, timeout],
                %% Requesters that end, or are killed, with their requests
                %% outstanding: 46 parse_address requests and 4 of watch/2
                %% each, whose watchers (one per request, as the node runs
                %% it although its requester is gone) report V's exit to us.
                Self = self(),
                V = spawn(fun target/0),
                {WM, WF} = watch_mf(N),
                Requests = fun() ->
                                   [Req(I) || I <- lists:seq(1, 46)],
                                   [erpc:send_request(N, WM, WF, [V, Self])
                                    || _ <- lists:seq(1, 4)]
                           end,
                Dying = [spawn_monitor(fun() -> Requests(), exit(requested)
                                       end) || _ <- lists:seq(1, 5)],
                DyingEnds = [wait_down(R) || {_, R} <- Dying],
                Killed = [spawn_monitor(fun() ->
                                                Requests(),
                                                Self ! {requested, self()},
                                                receive after infinity -> ok end
                                        end) || _ <- lists:seq(1, 5)],
                KilledEnds = [receive
                                  {requested, K} ->
                                      exit(K, kill),
                                      wait_down(R)
                              after ?T -> not_requested
                              end || {K, R} <- Killed],
                Monitored = wait_monitored(V, 40),
                W = Req(1),
                Wait = case erpc:wait_response(W, 0) of
                           no_response -> erpc:wait_response(W, ?CALL_T);
                           Early -> Early
                       end,
                %% The 'DOWN's of the dropped requests arrive (they still
                %% have their monitors); nothing else does.
                Msgs = jinet_diff:receive_all(?QUIET),
                Downs = [M || {'DOWN', _, process, _, _} = M <- Msgs],
                Expect = length(Dropped) + erpc:reqids_size(Coll),
                V ! {exit, gone},
                Later = jinet_diff:receive_all(?QUIET),
                Reports = [R || {jinet_watch, _, {'DOWN', _, process, V0, R}}
                                    <- Later, V0 =:= V],
                {ZeroKinds, Wait, length(Downs) =:= Expect, Msgs -- Downs,
                 {DyingEnds, KilledEnds,
                  Monitored, length(Reports), lists:usort(Reports),
                  Later -- [M || M = {jinet_watch, _, _} <- Later]}}
        end,
    Beam = Scenario(P),
    Jinet = Scenario(J),
    Leak = wait_baseline(Config, 10000),
    verdict(abandoned_requests_no_leak, Config,
            [{"{receive_response(_, 0) outcomes other than an answer or "
              "timeout, wait_response, dropped 'DOWN's all came, other "
              "messages, {how the 5 dying and 5 killed requesters ended, "
              "their 40 watch requests all watching, the watchers' reports "
              "(count, reasons), other messages}}",
              Beam, Jinet},
             {exact, "process count back to the baseline", ok, Leak}]).

zero_kind({ok, {ok, _}}) -> answered;
zero_kind({error, {erpc, timeout}}) -> timeout;
zero_kind(Other) -> Other.

%%--------------------------------------------------------------------
%% Monitors on jinet processes
%%--------------------------------------------------------------------

monitor_by_pid(Config) ->
    {P, J} = nodes_of(Config),
    Reasons = reasons(),
    Exits = fun(N) ->
                    [begin
                         I = new_idle(N, undefined),
                         R = erlang:monitor(process, I),
                         I ! {exit, Reason},
                         case wait_down(R) of
                             {down, I, Got} when Got =:= Reason -> same;
                             Other -> {Reason, Other}
                         end
                     end || Reason <- Reasons]
            end,
    Twice = fun(N) ->
                    I = new_idle(N, undefined),
                    R1 = erlang:monitor(process, I),
                    R2 = erlang:monitor(process, I),
                    true = erlang:demonitor(R1),
                    I ! {exit, twice},
                    {wait_down(R2), jinet_diff:receive_all(?QUIET)}
            end,
    Dead = fun(N) ->
                   I = new_idle(N, undefined),
                   R0 = erlang:monitor(process, I),
                   I ! {exit, normal},
                   _ = wait_down(R0),
                   R = erlang:monitor(process, I),
                   wait_down(R)
           end,
    Many = fun(N) ->
                   Is = [new_idle(N, undefined) || _ <- lists:seq(1, 100)],
                   Refs = [{erlang:monitor(process, I), I} || I <- Is],
                   [I ! {exit, {many, K}} || {K, I} <- lists:zip(
                                                         lists:seq(1, 100),
                                                         Is)],
                   Got = [wait_down(R) || {R, _} <- Refs],
                   Got =:= [{down, I, {many, K}}
                            || {K, I} <- lists:zip(lists:seq(1, 100), Is)]
           end,
    verdict(monitor_by_pid, Config,
            [{exact, "'DOWN' reason is the exit reason, for each of " ++
                  integer_to_list(length(Reasons)) ++ " reasons",
              [same || _ <- Reasons], Exits(J)},
             {"same on the BEAM peer", Exits(P), Exits(J)},
             {"two monitors, one demonitored: one 'DOWN'", Twice(P),
              Twice(J)},
             {"monitor of a pid that has exited: noproc", Dead(P), Dead(J)},
             {"100 monitored processes exit: 100 'DOWN's", Many(P), Many(J)}]),
    baseline(Config, monitor_by_pid).

monitor_by_name(Config) ->
    {P, J} = nodes_of(Config),
    ByName = fun(N, Reason) ->
                     Name = jinet_rt_named,
                     I = new_idle(N, Name),
                     R = erlang:monitor(process, {Name, N}),
                     I ! {exit, Reason},
                     wait_down(R)
             end,
    %% The registered idle process traps exits: exit/2 with a reason other
    %% than kill is a message to it, kill ends it (killed).
    Killed = fun(N) ->
                     Name = jinet_rt_killed,
                     I = new_idle(N, Name),
                     R = erlang:monitor(process, {Name, N}),
                     exit(I, boom),
                     Alive = quiet(),
                     exit(I, kill),
                     {Alive, wait_down(R)}
             end,
    Again = fun(N) ->
                    %% The name is free again once its process has gone.
                    I1 = new_idle(N, jinet_rt_again),
                    R1 = erlang:monitor(process, I1),
                    I1 ! {exit, x},
                    _ = wait_down(R1),
                    I2 = new_idle(N, jinet_rt_again),
                    R2 = erlang:monitor(process, {jinet_rt_again, N}),
                    I2 ! {exit, y},
                    {is_pid(I2), wait_down(R2)}
            end,
    Taken = fun(N) ->
                    I = new_idle(N, jinet_rt_taken),
                    Second = idle_outcome(N, jinet_rt_taken),
                    I ! {exit, done},
                    Second
            end,
    Demon = fun(N) ->
                    R = erlang:monitor(process, {rex, N}),
                    {erlang:demonitor(R, [info]), quiet()}
            end,
    verdict(monitor_by_name, Config,
            [{"monitor {Name, Node}, exit " ++ S, ByName(P, Reason),
              ByName(J, Reason)}
             || {S, Reason} <- [{"bar", bar}, {"{x, [1]}", {x, [1]}},
                                {"normal", normal}, {"kill", kill}]] ++
                [{"registered (trapping): exit(boom) ignored, kill -> "
                  "killed", Killed(P), Killed(J)},
                 {"a name is free again after its process exits", Again(P),
                  Again(J)},
                 {"a taken name cannot be registered again (badarg)",
                  Taken(P), Taken(J)},
                 {"monitor {rex, N}, demonitor: true, nothing comes",
                  Demon(P), Demon(J)}]),
    baseline(Config, monitor_by_name).

monitor_noproc(Config) ->
    {P, J} = nodes_of(Config),
    Name = fun(N) -> wait_down(erlang:monitor(process,
                                              {jinet_rt_nosuch, N})) end,
    Pid = fun(N) ->
                  D = case N of J -> dead_pid(Config); P -> dead_pid_on(P) end,
                  wait_down(erlang:monitor(process, D))
          end,
    verdict(monitor_noproc, Config,
            [{"monitor {nosuch, N}", Name(P), Name(J)},
             {"monitor a pid that existed", Pid(P), Pid(J)},
             {exact, "'DOWN' {nosuch, Node} noproc",
              {down, {jinet_rt_nosuch, J}, noproc}, Name(J)}]).

demonitor(Config) ->
    {P, J} = nodes_of(Config),
    Scenario =
        fun(N, Name) ->
                I = new_idle(N, Name),
                Target = case Name of undefined -> I; _ -> {Name, N} end,
                R1 = erlang:monitor(process, Target),
                D1 = erlang:demonitor(R1),
                R2 = erlang:monitor(process, Target),
                D2 = erlang:demonitor(R2, [flush]),
                R3 = erlang:monitor(process, Target),
                D3 = erlang:demonitor(R3, [info]),
                R4 = erlang:monitor(process, Target),
                D4 = erlang:demonitor(R4, [flush, info]),
                Keep = erlang:monitor(process, I),
                I ! {exit, bye},
                Down = case wait_down(Keep) of
                           {down, I, Why} -> Why;
                           Other -> Other
                       end,
                {[D1, D2, D3, D4], Down, jinet_diff:receive_all(?QUIET)}
        end,
    verdict(demonitor, Config,
            [{"demonitor by pid, [], [flush], [info], [flush, info]; exit",
              Scenario(P, undefined), Scenario(J, undefined)},
             {"demonitor by name; exit", Scenario(P, jinet_rt_demon),
              Scenario(J, jinet_rt_demon)},
             {exact,
              "demonitor answers true; only the kept monitor's 'DOWN' comes",
              {[true, true, true, true], bye, []}, Scenario(J, undefined)}]),
    baseline(Config, demonitor).

%%--------------------------------------------------------------------
%% What else rex answers (rpc.erl's rex server)
%%--------------------------------------------------------------------

rex_protocols(Config) ->
    {P, J} = nodes_of(Config),
    %% rpc:sbcast/2,3: rex gets {From, {sbcast, Name, Msg}}, sends Msg to
    %% Name and answers {rex, node(), node()} or
    %% {rex, node(), {nonexisting_name, Name}}.
    Sbcast = fun(N, Name) ->
                     bounded(fun() -> rpc:sbcast([N], Name, jinet_rt_hello)
                             end)
             end,
    %% The call OTP keeps for hidden C nodes: {From, {call, M, F, A, GL}},
    %% answered {rex, Reply}.
    Hidden = fun(N, Args) ->
                     {rex, N} ! {self(), {call, inet, parse_address, Args,
                                          user}},
                     receive {rex, Reply} -> Reply
                     after ?T -> no_reply
                     end
             end,
    %% Calls rex does not know get no answer; other messages are ignored.
    Unknown = fun(N) ->
                      R = outcome(fun() -> gen_server:call({rex, N},
                                                           jinet_rt_bogus, 300)
                                  end),
                      {rex, N} ! jinet_rt_junk,
                      gen_server:cast({rex, N}, jinet_rt_junk),
                      {R, quiet(), rpc:call(N, inet, parse_address, ["::"],
                                            ?CALL_T)}
              end,
    verdict(rex_protocols, Config,
            [{"rpc:sbcast([N], rex, Msg)", Sbcast(P, rex), Sbcast(J, rex)},
             {"rpc:sbcast([N], net_kernel, Msg)", Sbcast(P, net_kernel),
              Sbcast(J, net_kernel)},
             {"rpc:sbcast([N], nosuch, Msg)", Sbcast(P, jinet_rt_nosuch),
              Sbcast(J, jinet_rt_nosuch)},
             {"{From, {call, inet, parse_address, [\"1.2.3.4\"], user}}",
              Hidden(P, ["1.2.3.4"]), Hidden(J, ["1.2.3.4"])},
             {"{From, {call, inet, parse_address, [foo, bar], user}}",
              Hidden(P, [foo, bar]), Hidden(J, [foo, bar])},
             {"unknown call, unknown message and cast", Unknown(P),
              Unknown(J)}]),
    baseline(Config, rex_protocols).

%%--------------------------------------------------------------------
%% jinet monitoring Erlang processes: jinet_node:watch/2
%%--------------------------------------------------------------------

%% Each scenario runs twice: with jinet_node:watch/2, and with this module's
%% watch/2 (the same watcher written in Erlang) on a BEAM node in jinet's
%% place, so every 'DOWN' reason expected is one BEAM gave.
watch_local(Config) ->
    {P, J} = nodes_of(Config),
    Ends = [{self, normal}, {self, boom}, {self, {a, "tuple", 1.5}},
            {self, kill}, {other, kill}, {other, boom},
            {self, binary:copy(<<"r">>, 70000)}, {self, pid}],
    Scenario =
        fun(Watch) ->
                Watched =
                    [begin
                         V = spawn(fun target/0),
                         {W, Ref} = Watch(V),
                         WMon = erlang:monitor(process, W),
                         R = case R0 of pid -> V; _ -> R0 end,
                         case How of
                             self -> V ! {exit, R};
                             other -> exit(V, R)
                         end,
                         Got = receive
                                   {jinet_watch, W,
                                    {'DOWN', Ref, process, V, Reason}} ->
                                       %% V too: a reason that is the
                                       %% target's pid shows as the same
                                       %% placeholder.
                                       {Reason, V}
                               after ?T -> no_watch_message
                               end,
                         %% The watcher ends once it has reported.
                         {Got, wait_down(WMon)}
                     end || {How, R0} <- Ends],
                DeadTarget = spawn(fun() -> ok end),
                DeadMon = erlang:monitor(process, DeadTarget),
                _ = wait_down(DeadMon),
                {DW, DRef} = Watch(DeadTarget),
                Dead = receive
                           {jinet_watch, DW,
                            {'DOWN', DRef, process, DeadTarget, R1}} -> R1
                       after ?T -> no_watch_message
                       end,
                %% demonitor: the watcher ends, then the target's exit
                %% brings nothing.
                V2 = spawn(fun target/0),
                {W2, _} = Watch(V2),
                W2Mon = erlang:monitor(process, W2),
                W2 ! demonitor,
                W2End = wait_down(W2Mon),
                V2 ! {exit, boom},
                After = jinet_diff:receive_all(?QUIET),
                {Watched, Dead, W2End, After}
        end,
    {BWatched, BDead, BW2End, BAfter} =
        Scenario(fun(V) -> erpc:call(P, ?MODULE, watch, [V, self()], ?CALL_T) end),
    {JWatched, JDead, JW2End, JAfter} =
        Scenario(fun(V) -> erpc:call(J, jinet_node, watch, [V, self()],
                                     ?CALL_T) end),
    verdict(watch_local, Config,
            [{lists:flatten(io_lib:format("target ends ~P", [E, 6])), B, Jw}
             || {E, B, Jw} <- lists:zip3(Ends, BWatched, JWatched)] ++
                [{"target already gone", BDead, JDead},
                 {"demonitor ends the watcher", BW2End, JW2End},
                 {"after demonitor the target's exit brings nothing", BAfter,
                  JAfter}]),
    baseline(Config, watch_local).

%% jinet monitors a process on the peer (over the peer's connection to
%% jinet) and reports to us over ours; BEAM's answer is this node's watch/2
%% monitoring the same kind of peer process.
watch_remote(Config) ->
    {P, J} = nodes_of(Config),
    Run = fun(Reason, Watch) ->
                  V = erpc:call(P, ?MODULE, start_idle, [undefined], ?CALL_T),
                  {W, Ref} = Watch(V),
                  %% The watcher's monitor travels on its node's connection
                  %% to the peer, our exit request on ours: wait until the
                  %% peer has the monitor.
                  Watched = monitored_by(P, V, W),
                  V ! {exit, Reason},
                  receive
                      {jinet_watch, W, {'DOWN', Ref, process, V, Got}}
                        when Watched -> Got;
                      {jinet_watch, W, {'DOWN', Ref, process, V, Got}} ->
                          {not_monitored_by_the_watcher, Got}
                  after ?T -> no_watch_message
                  end
          end,
    Reasons = [normal, boom, {x, [1, 2]}, kill],
    Local = fun(V) -> watch(V, self()) end,
    Jinet = fun(V) -> erpc:call(J, jinet_node, watch, [V, self()], ?CALL_T) end,
    verdict(watch_remote, Config,
            [{lists:flatten(io_lib:format("peer process exits ~p", [R])),
              Run(R, Local), Run(R, Jinet)} || R <- Reasons]),
    baseline(Config, watch_remote).

%% jinet_node:watch/2 written in Erlang, for a BEAM node to do what jinet
%% does: a new process monitors Target, sends {jinet_watch, Self, 'DOWN'}
%% to ReportTo and ends; 'demonitor' ends it without a report.
watch(Target, ReportTo) ->
    Caller = self(),
    Tag = make_ref(),
    W = spawn(fun() ->
                      Ref = erlang:monitor(process, Target),
                      Caller ! {Tag, Ref},
                      receive
                          {'DOWN', Ref, process, _, _} = Down ->
                              ReportTo ! {jinet_watch, self(), Down};
                          demonitor ->
                              erlang:demonitor(Ref, [flush])
                      end
              end),
    receive {Tag, Ref} -> {W, Ref} end.

target() ->
    receive {exit, R} -> exit(R) end.

%% true once process_info(V, monitored_by) on node N lists W (5 s at most).
monitored_by(N, V, W) ->
    Deadline = erlang:monotonic_time(millisecond) + ?T,
    monitored_by(N, V, W, Deadline).

monitored_by(N, V, W, Deadline) ->
    case erpc:call(N, erlang, process_info, [V, monitored_by], ?CALL_T) of
        {monitored_by, Ms} ->
            case lists:member(W, Ms) of
                true -> true;
                false ->
                    case erlang:monotonic_time(millisecond) > Deadline of
                        true -> false;
                        false -> timer:sleep(10),
                                 monitored_by(N, V, W, Deadline)
                    end
            end;
        _ -> false
    end.

%%--------------------------------------------------------------------
%% Links and exit signals
%%--------------------------------------------------------------------

links(Config) ->
    {P, J} = nodes_of(Config),
    S = fun(N, F) -> trapping(fun() -> F(N) end) end,
    Exit = fun(Reason) ->
                   fun(N) ->
                           I = new_idle(N, undefined),
                           true = link(I),
                           I ! {exit, Reason},
                           jinet_diff:receive_all(?QUIET)
                   end
           end,
    Scenarios =
        [{"link, exit boom", Exit(boom)},
         {"link, exit {x, [1]}", Exit({x, [1]})},
         {"link, exit normal", Exit(normal)},
         {"link, exit kill (its own reason)", Exit(kill)},
         {"link, unlink, exit",
          fun(N) ->
                  I = new_idle(N, undefined),
                  link(I), unlink(I),
                  R = erlang:monitor(process, I),
                  I ! {exit, boom},
                  {wait_down(R), jinet_diff:receive_all(?QUIET)}
          end},
         {"link, unlink, link, exit",
          fun(N) ->
                  I = new_idle(N, undefined),
                  link(I), unlink(I), link(I),
                  I ! {exit, boom},
                  jinet_diff:receive_all(?QUIET)
          end},
         {"link, link, unlink, exit",
          fun(N) ->
                  I = new_idle(N, undefined),
                  link(I), link(I), unlink(I),
                  R = erlang:monitor(process, I),
                  I ! {exit, boom},
                  {wait_down(R), jinet_diff:receive_all(?QUIET)}
          end},
         {"link to a pid that has exited: noproc",
          fun(N) ->
                  D = case N of J -> dead_pid(Config); P -> dead_pid_on(P) end,
                  link(D),
                  jinet_diff:receive_all(?QUIET)
          end},
         {"linked, exit(Pid, kill): 'EXIT' killed",
          fun(N) ->
                  I = new_idle(N, undefined),
                  link(I),
                  exit(I, kill),
                  jinet_diff:receive_all(?QUIET)
          end},
         {"exit(Pid, kill) unregistered: killed", exit_scenario(undefined,
                                                                [kill])},
         {"exit(Pid, kill) registered: killed", exit_scenario(jinet_rt_k,
                                                              [kill])},
         {"exit(Pid, normal) unregistered: stays", exit_scenario(undefined,
                                                                 [normal])},
         {"exit(Pid, boom) unregistered: boom", exit_scenario(undefined,
                                                              [boom])},
         {"exit(Pid, boom) registered (traps exits): stays",
          exit_scenario(jinet_rt_b, [boom])},
         {"exit(Pid, normal) registered: stays", exit_scenario(jinet_rt_n,
                                                               [normal])},
         {"exit(Pid, {shutdown, x}) then kill, registered",
          exit_scenario(jinet_rt_s, [{shutdown, x}, kill])}],
    verdict(links, Config,
            [{What, S(P, F), S(J, F)} || {What, F} <- Scenarios]),
    baseline(Config, links).

%% exit/2 signals from a process not linked: what the monitor sees.
exit_scenario(Name, Signals) ->
    fun(N) ->
            I = new_idle(N, Name),
            R = erlang:monitor(process, I),
            [exit(I, Sig) || Sig <- Signals],
            Seen = receive
                       {'DOWN', R, process, I, Reason} -> {down, Reason}
                   after ?QUIET -> alive
                   end,
            case Seen of
                alive ->
                    I ! {exit, cleanup},
                    {alive, wait_down(R)};
                _ ->
                    Seen
            end
    end.

%% A process of ours linked to a jinet (or peer) process ends in various
%% ways: what happens to the linked process.
link_exit_signals(Config) ->
    {P, J} = nodes_of(Config),
    Hows = [{self, normal}, {self, boom}, {self, kill}, {self, {x, "y"}},
            {killed_by, kill}, {killed_by, boom}],
    Run = fun(N, Name, How) ->
                  I = new_idle(N, Name),
                  Ref = erlang:monitor(process, I),
                  Self = self(),
                  {L, LRef} = spawn_monitor(
                                fun() ->
                                        link(I),
                                        Self ! {linked, self()},
                                        receive go -> ok end,
                                        {self, R} = How,
                                        exit(R)
                                end),
                  %% L's link signal goes before anything L sends or gets
                  %% killed with.
                  receive {linked, L} -> ok after ?T -> ok end,
                  case How of
                      {killed_by, R2} -> exit(L, R2);
                      _ -> L ! go
                  end,
                  LReason = receive {'DOWN', LRef, process, L, LR} -> LR
                            after ?T -> no_down
                            end,
                  Res = receive {'DOWN', Ref, process, I, Reason} ->
                                {down, Reason}
                        after ?QUIET -> alive
                        end,
                  I ! {exit, cleanup},
                  erlang:demonitor(Ref, [flush]),
                  {LReason, Res}
          end,
    verdict(link_exit_signals, Config,
            [{lists:flatten(io_lib:format("linked process ends ~p, target ~s",
                                          [How, case Name of
                                                    undefined -> "unregistered";
                                                    _ -> "registered (traps)"
                                                end])),
              Run(P, Name, How), Run(J, Name, How)}
             || How <- Hows, Name <- [undefined, jinet_rt_linked]]),
    baseline(Config, link_exit_signals).

%% A process that is both linked and monitored exits: BEAM sends the link's
%% exit signal before the monitor's 'DOWN' (every time: erl_process.c ends a
%% process in phases, ERTS_CONTINUE_EXIT_LINKS before ..._MONITORS and
%% ..._DIST_LINKS before ..._DIST_MONITORS), so a process that traps exits
%% receives {'EXIT', ...} first.
exit_signal_order(Config) ->
    {P, J} = nodes_of(Config),
    Idle = fun(N) ->
                   trapping(
                     fun() ->
                             %% An atom reason and a tuple (BEAM sends
                             %% the latter's signals from a later phase,
                             %% still links first).
                             lists:usort(
                               [begin
                                    I = new_idle(N, undefined),
                                    link(I),
                                    R = erlang:monitor(process, I),
                                    I ! {exit, Reason},
                                    {Reason, first_of(I, R)}
                                end || K <- lists:seq(1, 20),
                                       Reason <- [element(K rem 2 + 1,
                                                          {boom,
                                                           {boom, [1]}})]])
                     end)
           end,
    Spawned = fun(N) ->
                      trapping(
                        fun() ->
                                lists:usort(
                                  [begin
                                       R = erlang:spawn_request(
                                             N, inet, parse_address, ["1.2.3.4"],
                                             [link, monitor]),
                                       receive
                                           {spawn_reply, R, ok, Pid} ->
                                               first_of(Pid, R)
                                       after ?T -> no_spawn_reply
                                       end
                                   end || _ <- lists:seq(1, 20)])
                        end)
              end,
    verdict(exit_signal_order, Config,
            [{"linked and monitored idle process exits: first message",
              Idle(P), Idle(J)},
             {"spawn_request [link, monitor]: first message", Spawned(P),
              Spawned(J)}]),
    baseline(Config, exit_signal_order).

first_of(Pid, Ref) ->
    First = receive
                {'EXIT', Pid, _} -> 'EXIT';
                {'DOWN', Ref, process, Pid, _} -> 'DOWN'
            after ?T -> none
            end,
    receive
        {'EXIT', Pid, _} -> ok;
        {'DOWN', Ref, process, Pid, _} -> ok
    after ?T -> ok
    end,
    First.

%%--------------------------------------------------------------------
%% Lost connections
%%--------------------------------------------------------------------

%% The peer monitors (by pid and by name) and links to jinet processes,
%% jinet watches a peer process; then the peer disconnects from jinet.
disconnect(Config) ->
    {P, J} = nodes_of(Config),
    Self = self(),
    pong = erpc:call(P, net_adm, ping, [J], ?CALL_T),
    Mon = new_idle(J, undefined),
    Linked = new_idle(J, undefined),
    Named = new_idle(J, jinet_rt_disc),
    Refs = [{erlang:monitor(process, X), X} || X <- [Mon, Linked, Named]],
    Holder = spawn(P, ?MODULE, holder, [Self, Mon, Linked,
                                        {jinet_rt_disc, J}, J]),
    HolderRefs = receive
                     {holder_ready, Holder, Rs} -> Rs
                 after ?T -> ct:fail(holder_not_ready)
                 end,
    Victim = erpc:call(P, ?MODULE, start_idle, [undefined], ?CALL_T),
    {W, WRef} = erpc:call(P, erpc, call,
                          [J, jinet_node, watch, [Victim, Self], ?CALL_T],
                          ?CALL_T),
    true = erpc:call(P, erlang, disconnect_node, [J], ?CALL_T),
    Deadline = erlang:monotonic_time(millisecond) + ?T,
    Want = [{peer_down_pid, Mon}, {peer_down_name, {jinet_rt_disc, J}},
            {peer_exit, Linked}, {down, Linked}, watch],
    Got = collect_disconnect(Want, Deadline, HolderRefs, W, WRef, Victim,
                             Refs, #{}),
    %% The processes only monitored stay.
    timer:sleep(?QUIET),
    Stayed = [X || {R, X} <- Refs, X =/= Linked,
                   receive {'DOWN', R, process, X, _} -> false
                   after 0 -> true
                   end],
    Reconnect = erpc:call(P, net_adm, ping, [J], ?CALL_T),
    Again = erpc:call(P, erpc, call, [J, inet, parse_address, ["1.2.3.4"],
                                      ?CALL_T], ?CALL_T),
    [X ! {exit, done} || X <- [Mon, Named, Linked]],
    exit(Holder, kill),
    Victim ! {exit, done},
    [_ = wait_down(R) || {R, X} <- Refs, X =/= Linked],
    jinet_diff:flush(),
    verdict(disconnect, Config,
            [{exact, "peer's monitor by pid: 'DOWN' noconnection", noconnection,
              maps:get({peer_down_pid, Mon}, Got, missing)},
             {exact, "peer's monitor by name: 'DOWN' noconnection", noconnection,
              maps:get({peer_down_name, {jinet_rt_disc, J}}, Got, missing)},
             {exact, "peer's link (trapping exits): 'EXIT' noconnection",
              noconnection, maps:get({peer_exit, Linked}, Got, missing)},
             {exact, "jinet process linked to the peer dies: noconnection",
              noconnection, maps:get({down, Linked}, Got, missing)},
             {exact, "jinet's watch of a peer process: 'DOWN' noconnection",
              noconnection, maps:get(watch, Got, missing)},
             {exact, "monitored-only jinet processes stay", [Mon, Named], Stayed},
             {exact, "unexpected messages", [], maps:get(other, Got, [])},
             {exact, "the peer connects again", pong, Reconnect},
             {exact, "and calls jinet", {ok, {1, 2, 3, 4}}, Again}]),
    baseline(Config, disconnect).

collect_disconnect([], _Deadline, _HRefs, _W, _WRef, _V, _Refs, Acc) ->
    Acc;
collect_disconnect(Want, Deadline, HRefs = {PidRef, NameRef}, W, WRef, V,
                   Refs, Acc) ->
    Left = max(0, Deadline - erlang:monotonic_time(millisecond)),
    receive
        {holder_got, {'DOWN', PidRef, process, X, R}} ->
            K = {peer_down_pid, X},
            collect_disconnect(Want -- [K], Deadline, HRefs, W, WRef, V, Refs,
                               Acc#{K => R});
        {holder_got, {'DOWN', NameRef, process, X, R}} ->
            K = {peer_down_name, X},
            collect_disconnect(Want -- [K], Deadline, HRefs, W, WRef, V, Refs,
                               Acc#{K => R});
        {holder_got, {'EXIT', X, R}} ->
            K = {peer_exit, X},
            collect_disconnect(Want -- [K], Deadline, HRefs, W, WRef, V, Refs,
                               Acc#{K => R});
        {jinet_watch, W, {'DOWN', WRef, process, V, R}} ->
            collect_disconnect(Want -- [watch], Deadline, HRefs, W, WRef, V,
                               Refs, Acc#{watch => R});
        {'DOWN', Ref, process, X, R} = M ->
            case lists:member({Ref, X}, Refs) andalso
                lists:member({down, X}, Want) of
                true ->
                    collect_disconnect(Want -- [{down, X}], Deadline, HRefs,
                                       W, WRef, V, Refs,
                                       Acc#{{down, X} => R});
                false ->
                    %% An early 'DOWN' of a process that must stay: keep it
                    %% for the check after.
                    self() ! {early, M},
                    collect_disconnect(Want, Deadline, HRefs, W, WRef, V,
                                       Refs, Acc)
            end;
        {early, _} = M ->
            collect_disconnect(Want, Deadline, HRefs, W, WRef, V, Refs,
                               maps:update_with(other, fun(O) -> [M | O] end,
                                                [M], Acc))
    after Left ->
            Acc
    end.

%% The CT node itself drops its connection to jinet: our monitors and links
%% say noconnection; on jinet the process linked to ours dies, the watcher
%% of our process ends, the registered one (trapping exits) and the
%% monitored one stay; after we connect again everything works.
disconnect_from_ct(Config) ->
    {_P, J} = nodes_of(Config),
    Base = ?config(baseline, Config),
    Mon = new_idle(J, undefined),
    Linked = new_idle(J, undefined),
    Reg = new_idle(J, jinet_rt_ct_disc),
    Victim = spawn(fun target/0),
    {W, _} = erpc:call(J, jinet_node, watch, [Victim, self()], ?CALL_T),
    Self = self(),
    Helper = spawn(fun() ->
                           process_flag(trap_exit, true),
                           link(Linked), link(Reg),
                           Self ! {linked, self()},
                           receive stop -> ok end
                   end),
    HMon = erlang:monitor(process, Helper),
    receive {linked, Helper} -> ok after ?T -> ct:fail(helper_not_linked) end,
    %% The helper's link signals are on the connection before this call,
    %% whose answer comes back after jinet has read them.
    Count = process_count(J),
    MonRef = erlang:monitor(process, Mon),
    true = erlang:disconnect_node(J),
    Down = wait_down(MonRef),
    %% The helper traps exits: it gets both links' noconnection.
    Helper ! stop,
    HelperEnd = wait_down(HMon),
    Pong = net_adm:ping(J),
    %% Linked died of noconnection, the watcher ended: Mon and Reg remain.
    After = wait_count(J, Base + 2, ?T),
    Alive = [X || X <- [Mon, Reg, Linked, W],
                  wait_down(erlang:monitor(process, X), 100) =:= no_down],
    Victim ! {exit, done},
    [X ! {exit, done} || X <- [Mon, Reg]],
    verdict(disconnect_from_ct, Config,
            [{exact, "jinet processes before: Mon, Linked, Reg, the watcher",
              Base + 4, Count},
             {exact, "our monitor: 'DOWN' noconnection", {down, Mon, noconnection},
              Down},
             {exact, "helper ended normally", {down, Helper, normal}, HelperEnd},
             {exact, "we connect again", pong, Pong},
             {exact, "jinet processes after: Mon and Reg", ok, After},
             {exact, "alive: Mon and Reg (Linked and the watcher gone)", [Mon, Reg],
              Alive},
             {exact, "calls work again", {ok, {1, 2, 3, 4}},
              rpc:call(J, inet, parse_address, ["1.2.3.4"], ?CALL_T)}]),
    baseline(Config, disconnect_from_ct).

%% On the peer: monitors Mon by pid and Name by name, links to Linked,
%% traps exits, and reports what it receives.
holder(Report, Mon, Linked, Name, _JNode) ->
    process_flag(trap_exit, true),
    PidRef = erlang:monitor(process, Mon),
    NameRef = erlang:monitor(process, Name),
    true = link(Linked),
    Report ! {holder_ready, self(), {PidRef, NameRef}},
    holder_loop(Report).

holder_loop(Report) ->
    receive
        M -> Report ! {holder_got, M},
             holder_loop(Report)
    end.

%%--------------------------------------------------------------------
%% Nothing left over
%%--------------------------------------------------------------------

no_leaks_at_end(Config) ->
    {_P, J} = nodes_of(Config),
    Base = ?config(baseline, Config),
    verdict(no_leaks_at_end, Config,
            %% an idle node's own processes: 3, and the socket service's since issue 10
            [{exact, "process count at the start", 4, Base},
             {exact, "process count now", ok, wait_baseline(Config, 5000)},
             {"still answers rpc:call", {ok, {1, 2, 3, 4}},
              rpc:call(J, inet, parse_address, ["1.2.3.4"], ?CALL_T)}]).

%%--------------------------------------------------------------------
%% The BEAM stand-in for jinet_node:idle/1 (runs on the peer)
%%--------------------------------------------------------------------

%% A process that waits for {exit, Reason}; registered as Name (trapping
%% exits, like a server) unless Name is undefined; badarg if Name is taken.
start_idle(Name) ->
    Parent = self(),
    Tag = make_ref(),
    Pid = spawn(fun() ->
                        receive {Tag, go} -> ok end,
                        Name =:= undefined orelse
                            process_flag(trap_exit, true),
                        Parent ! {Tag, ready},
                        idle_loop()
                end),
    try
        Name =:= undefined orelse register(Name, Pid)
    catch
        error:badarg ->
            exit(Pid, kill),
            erlang:error(badarg)
    end,
    Pid ! {Tag, go},
    receive {Tag, ready} -> Pid end.

idle_loop() ->
    receive
        {exit, R} -> exit(R);
        _ -> idle_loop()
    end.

%%--------------------------------------------------------------------
%% Helpers
%%--------------------------------------------------------------------

nodes_of(Config) ->
    {?config(pnode, Config), ?config(jnode, Config)}.

%% The watch/2 that node N runs: jinet_node's on jinet, this module's on the
%% peer.
watch_mf(N) ->
    case atom_to_list(N) of
        "jinet_rt_peer_" ++ _ -> {?MODULE, watch};
        _ -> {jinet_node, watch}
    end.

%% ended once Pid has exited: its 'DOWN' says noproc when it had already
%% gone, else its exit reason, which must then be as Expected(Reason) says
%% (spawn/4 gives no way to see the reason without this race); else what
%% came instead.
ended(Pid, Expected) ->
    case wait_down(erlang:monitor(process, Pid)) of
        {down, Pid, noproc} -> ended;
        {down, Pid, Reason} = Down ->
            case Expected(Reason) of
                true -> ended;
                false -> Down
            end;
        Other -> Other
    end.

new_idle(N, Name) ->
    case atom_to_list(N) of
        "jinet_rt_peer_" ++ _ ->
            erpc:call(N, ?MODULE, start_idle, [Name], ?CALL_T);
        _ ->
            erpc:call(N, jinet_node, idle, [Name], ?CALL_T)
    end.

%% new_idle/2 as an erpc outcome.
idle_outcome(N, Name) ->
    outcome(fun() -> new_idle(N, Name) end).

%% A jinet pid that existed and has exited.
dead_pid(Config) ->
    dead_pid_on(?config(jnode, Config)).

dead_pid_on(N) ->
    I = new_idle(N, undefined),
    R = erlang:monitor(process, I),
    I ! {exit, normal},
    {down, I, normal} = wait_down(R),
    I.

wait_down(Ref) ->
    wait_down(Ref, ?T).

wait_down(Ref, Timeout) ->
    receive
        {'DOWN', Ref, process, Item, Reason} -> {down, Item, Reason}
    after Timeout -> no_down
    end.

%% quiet when nothing arrives for QUIET ms, else the messages.
quiet() ->
    case jinet_diff:receive_all(?QUIET) of
        [] -> quiet;
        Ms -> {messages, Ms}
    end.

%% Fun()'s value, or no_answer_within_5000_ms (the process computing it is
%% then killed).
bounded(Fun) ->
    {Pid, Ref} = spawn_monitor(fun() -> exit({value, Fun()}) end),
    receive
        {'DOWN', Ref, process, Pid, {value, V}} -> V;
        {'DOWN', Ref, process, Pid, Other} -> {crashed, Other}
    after ?T ->
            exit(Pid, kill),
            receive {'DOWN', Ref, process, Pid, _} -> ok end,
            no_answer_within_5000_ms
    end.

%% Fun() in a new process that traps exits; its value or {crashed, ...}.
trapping(Fun) ->
    {Pid, Ref} = spawn_monitor(fun() ->
                                       process_flag(trap_exit, true),
                                       exit({value, Fun()})
                               end),
    receive
        {'DOWN', Ref, process, Pid, {value, V}} -> V;
        {'DOWN', Ref, process, Pid, Other} -> {crashed, Other}
    after 60000 ->
            exit(Pid, kill),
            scenario_timeout
    end.

outcome(Fun) ->
    try Fun() of
        V -> {ok, V}
    catch
        C:R -> {C, R}
    end.

process_count(N) ->
    erpc:call(N, jinet_node, process_count, [], ?CALL_T).

%% ok once N's process count is Count, else {process_count, Now, Count}.
wait_count(N, Count, Timeout) ->
    wait_baseline(N, Count, erlang:monotonic_time(millisecond) + Timeout).

%% ok once jinet's process count is the suite's baseline, else
%% {process_count, N, baseline, B} after Timeout ms.
wait_baseline(Config, Timeout) ->
    J = ?config(jnode, Config),
    Base = ?config(baseline, Config),
    Deadline = erlang:monotonic_time(millisecond) + Timeout,
    wait_baseline(J, Base, Deadline).

wait_baseline(J, Base, Deadline) ->
    case process_count(J) of
        Base -> ok;
        N ->
            case erlang:monotonic_time(millisecond) > Deadline of
                true -> {process_count, N, baseline, Base};
                false -> timer:sleep(50), wait_baseline(J, Base, Deadline)
            end
    end.

%% Fails the case when jinet has more processes than at the start.
baseline(Config, Case) ->
    case wait_baseline(Config, 5000) of
        ok -> ok;
        Leak -> ct:fail({Case, leaves_processes, Leak})
    end.

stacks_are_lists(T) ->
    lists:all(fun(S) -> jinet_diff:is_stacktrace(S) end, stacks(T)).

%% The stacks in an outcome, wherever the call paths put them.
stacks({badrpc, {'EXIT', {_, St}}}) when is_list(St) -> [St];
stacks({error, {exception, _, St}}) -> [St];
stacks({down, {_, St}}) when is_list(St), St =/= [] -> [St];
stacks({exit, {_, St}}) when is_list(St), St =/= [] -> [St];
stacks({T, []}) when is_list(T) -> lists:append([stacks(X) || X <- T]);
stacks({response, R}) -> stacks(R);
stacks({value, R}) -> stacks(R);
stacks(L) when is_list(L) -> lists:append([stacks(X) || X <- L]);
stacks(_) -> [].

reasons() ->
    [boom, normal, kill, {a, "str", 1.5}, <<"bin">>, <<1:3>>, 1 bsl 100,
     -(1 bsl 100), #{a => [1, 2], "k" => {}}, self(), make_ref(),
     fun erlang:abs/1, fun() -> ok end, 'ünïcödé', [1 | 2], "",
     lists:seq(1, 300), binary:copy(<<"x">>, 100000), {'EXIT', x}, 1.0e300,
     -0.0, [], {}, list_to_atom(lists:duplicate(255, $a)),
     {shutdown, {nested, [#{}]}}].

%%--------------------------------------------------------------------
%% Comparing and reporting
%%--------------------------------------------------------------------

%% Checks, as jinet_diff:verdict/3 takes them, between the peer and jinet.
verdict(Case, Config, Checks) ->
    jinet_diff:verdict(Case, [?config(pnode, Config), ?config(jnode, Config)], Checks).

ctx(Case, Config) ->
    #{'case' => Case, seed => ?config(seed, Config),
      priv_dir => ?config(priv_dir, Config)}.

say(Format, Args) ->
    jinet_diff:log(Format, Args),
    io:format(user, Format ++ "~n", Args).
