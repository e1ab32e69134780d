%% Sockets hosted in the JVM (issue 10), compared with BEAM's own: gen_tcp,
%% gen_udp and inet used unchanged, through OTP 25's module-socket hook
%% ({tcp_module, jinet_tcp}, {udp_module, jinet_udp}, jinet6_*, jinet_local_*,
%% and sockets {'$inet', Module, Handle}).
%%
%% Each scenario is written once, as a function of a context whose roles
%% (c: the client or first socket, s: the listener or second socket) are each
%% hosted on a side: `beam` (options prefix [{tcp_module, inet_tcp}],
%% inet6_tcp, local_tcp, {udp_module, inet_udp}, ...) or `test` (jinet's
%% modules). The reference run has every role on beam; each variant puts some
%% roles on test (both ends, a test client talking to a BEAM listener, and the
%% reverse); the reference and the variants run side by side. A scenario
%% returns a trace: every call's result and every message received, step by
%% step. Two traces are compared after replacing, on each side on its own,
%% sockets (#Port<..> and {'$inet', M, H}), ephemeral port numbers (in
%% {IP, Port} results, {udp, S, IP, Port, Data} messages and inet:port/1
%% results; ports below 1024 are kept), local socket paths and node names by
%% labels in order of first appearance, and then pids, references and stacks
%% as jinet_diff:canon_pair/4 does. Every differing step is printed (scenario,
%% variant, step number and name, both terms) and fails the case: one case
%% per group of scenarios.
%%
%% Messages: m(Step, N) waits (up to ?T each) for the N messages BEAM gives
%% there, then takes whatever else comes within ?QUIET ms; so a message that
%% must come is never missed on a slow machine, and one too many shows up.
%%
%% Sides under test (env JINET_SOCKET_STANDIN):
%%   unset            jinet's modules, hosted on a jinet node this suite starts
%%                    with jinet_diff:start_node/1 (or $JINET_NODE); a case
%%                    whose jinet module cannot be loaded is skipped, saying
%%                    which
%%   socket_backend   OTP's own module-socket backend instead
%%                    ([{inet_backend, socket}] first: {'$inet',
%%                    gen_tcp_socket, _}), to check the harness itself: its
%%                    differences from inet_drv show as mismatches
%%   beam             BEAM's own modules on both sides: every step must
%%                    agree (checks that the scenarios are deterministic)
%% See jinet_diff for JINET_HOME and JINET_NODE.
%%
%% To run it alone (erlang/ebin compiled as bin/test does, epmd running):
%%   epmd -daemon; mkdir -p _build/test
%%   JINET_HOME=$PWD ct_run -noshell -dir test-interop \
%%     -suite jinet_socket_SUITE -logdir _build/test -pa $PWD/erlang/ebin \
%%     -sname ct_sock -setcookie ct_sock
%% (prefix JINET_SOCKET_STANDIN=socket_backend or =beam for the stand-ins).
-module(jinet_socket_SUITE).

-include_lib("common_test/include/ct.hrl").

-export([suite/0, all/0, init_per_suite/1, end_per_suite/1,
         init_per_testcase/2, end_per_testcase/2]).
-export([tcp_delivery/1, tcp_passive/1, tcp_close/1, tcp_owner/1,
         tcp_remote_owner/1, tcp_remote_handover/1, tcp_errors/1,
         no_leaks_at_end/1, tcp_options/1, tcp_inet6/1,
         tcp_large/1, udp_inet/1, udp_inet6/1, local_stream/1,
         local_dgram/1, inet_i/1, inetrc_peer/1]).
%% Run on other processes and nodes
-export([agent_loop/0, plain_echo/0]).

-define(T, 10000).         % ms to wait for what must come
-define(QUIET, 150).       % ms of silence that shows nothing more comes
-define(SCENARIO_LIMIT, 90000).
-define(LARGE_CHUNKS, 100).        % of 1 MiB: 104857600 bytes
-define(BADHOST, "jinet-no-such-host.invalid").
%% An address as a socket address's first element: an IP tuple or local.
-define(IS_ADDR(A), ((is_tuple(A) andalso (tuple_size(A) =:= 4 orelse
                                           tuple_size(A) =:= 8))
                     orelse (is_tuple(A) andalso tuple_size(A) =:= 2
                             andalso element(1, A) =:= local))).

suite() ->
    [{timetrap, {minutes, 5}}].

all() ->
    [tcp_delivery, tcp_passive, tcp_close, tcp_owner, tcp_remote_owner,
     tcp_remote_handover,
     tcp_errors, tcp_options, tcp_inet6, tcp_large, udp_inet, udp_inet6,
     local_stream, local_dgram, inet_i, inetrc_peer, no_leaks_at_end].

%%====================================================================
%% Setup
%%====================================================================

mode() ->
    case os:getenv("JINET_SOCKET_STANDIN") of
        "socket_backend" -> standin;
        "beam" -> self;
        _ -> jinet
    end.

jinet_modules() ->
    [jinet_tcp, jinet6_tcp, jinet_local_tcp, jinet_udp, jinet6_udp,
     jinet_local_udp].

%% The jinet modules each case needs.
needs(tcp_inet6) -> [jinet6_tcp];
needs(udp_inet) -> [jinet_udp];
needs(udp_inet6) -> [jinet6_udp];
needs(local_stream) -> [jinet_local_tcp];
needs(local_dgram) -> [jinet_local_udp];
needs(inet_i) -> [jinet_tcp, jinet_udp];
needs(inetrc_peer) -> [jinet_tcp, jinet_udp];
needs(_) -> [jinet_tcp].

missing(Mods) ->
    [M || M <- Mods, element(1, code:ensure_loaded(M)) =/= module].

init_per_suite(Config) ->
    ok = jinet_diff:stats_restart(),
    case {mode(), os:getenv("JINET_STANDIN")} of
        {jinet, "beam"} ->
            skip_suite("JINET_STANDIN=beam: a BEAM node cannot host jinet "
                       "sockets (JINET_SOCKET_STANDIN=socket_backend checks "
                       "this suite against OTP's socket backend)");
        {jinet, _} ->
            case missing(jinet_modules()) of
                [jinet_tcp, jinet6_tcp, jinet_local_tcp, jinet_udp,
                 jinet6_udp, jinet_local_udp] ->
                    skip_suite(io_lib:format(
                                 "no jinet socket module can be loaded "
                                 "(~p; code path has ~ts)",
                                 [jinet_modules(), ebin_dir()]));
                _ ->
                    start_jinet(Config)
            end;
        {standin, _} ->
            say("jinet_socket_SUITE: stand-in run: BEAM (inet_drv) vs "
                "OTP's socket backend (gen_tcp_socket, gen_udp_socket)", []),
            common_setup([{mode, standin}, {jnode, undefined} | Config]);
        {self, _} ->
            say("jinet_socket_SUITE: self-check: BEAM's modules on both "
                "sides (every step must agree)", []),
            common_setup([{mode, self}, {jnode, undefined} | Config])
    end.

skip_suite(Why) ->
    Text = lists:flatten(Why),
    say("jinet_socket_SUITE: SKIPPED: ~ts", [Text]),
    jinet_diff:stats_stop_sync(),
    {skip, Text}.

start_jinet(Config) ->
    T0 = erlang:monotonic_time(millisecond),
    case jinet_diff:start_node(#{root => jinet_diff:root(Config),
                                 log_dir => ?config(priv_dir, Config)}) of
        {ok, Handle = #{node := J}} ->
            say("jinet_socket_SUITE: jinet node ~p (up in ~b ms)",
                [J, erlang:monotonic_time(millisecond) - T0]),
            _ = application:load(jinet),
            ok = application:set_env(jinet, node, J),
            Base = erpc:call(J, jinet_node, process_count, []),
            common_setup([{mode, jinet}, {jnode, J}, {jinet, Handle},
                          {baseline, Base} | Config]);
        {error, Why} ->
            say("jinet_socket_SUITE: no jinet node: ~tp", [Why]),
            jinet_diff:stats_stop_sync(),
            {fail, {jinet_node_not_started, Why}}
    end.

common_setup(Config) ->
    SockDir = sock_dir(?config(priv_dir, Config)),
    case start_peer(?config(jnode, Config), []) of
        {ok, Peer, P} ->
            [{peer, Peer}, {pnode, P}, {sock_dir, SockDir} | Config];
        {error, Why} ->
            catch jinet_diff:stop_node(?config(jinet, Config)),
            jinet_diff:stats_stop_sync(),
            {fail, {peer_not_started, Why}}
    end.

%% AF_UNIX paths are at most 107 bytes and priv_dir's are longer: the
%% sockets are made in priv_dir/sockets, through a short symbolic link to it
%% in /tmp (removed at the end).
sock_dir(Priv) ->
    D = filename:join(Priv, "sockets"),
    ok = filelib:ensure_dir(filename:join(D, "x")),
    Link = filename:join("/tmp", "jinet_sock_" ++ os:getpid() ++ "_" ++
                             integer_to_list(erlang:unique_integer([positive]))),
    ok = file:make_symlink(D, Link),
    Link.

ebin_dir() ->
    case code:which(jinet) of
        Path when is_list(Path) -> filename:dirname(Path);
        _ ->
            case jinet_diff:root() of
                undefined -> "erlang/ebin";
                Root -> filename:join([Root, "erlang", "ebin"])
            end
    end.

%% A BEAM peer with this suite and jinet's ebin on its code path, and the
%% jinet node in its application environment (and JINET_NODE). Hidden: peers
%% come and go (owner_node_down), and global's partition guard would
%% otherwise disconnect the ones that stay.
start_peer(J, ExtraArgs) ->
    Name = "jinet_sock_peer_" ++ os:getpid() ++ "_" ++
        integer_to_list(erlang:unique_integer([positive])),
    Env = case J of
              undefined -> [];
              _ -> [{"JINET_NODE", atom_to_list(J)}]
          end,
    try peer:start(#{name => Name, wait_boot => 60000, env => Env,
                     args => ["-setcookie", atom_to_list(erlang:get_cookie()),
                              "-hidden",
                              "-pa", filename:dirname(code:which(?MODULE)),
                              "-pa", ebin_dir() | ExtraArgs]}) of
        {ok, Peer, Node} ->
            _ = erpc:call(Node, application, load, [jinet], ?T),
            case J of
                undefined -> ok;
                _ ->
                    ok = erpc:call(Node, application, set_env,
                                   [jinet, node, J], ?T),
                    pong = erpc:call(Node, net_adm, ping, [J], ?T)
            end,
            {ok, Peer, Node};
        Other -> {error, Other}
    catch
        C:R -> {error, {C, R}}
    end.

end_per_suite(Config) ->
    catch peer:stop(?config(peer, Config)),
    _ = file:delete(?config(sock_dir, Config)),
    case ?config(jinet, Config) of
        undefined -> ok;
        H -> {ok, Stop} = jinet_diff:stop_node(H),
             jinet_diff:log("jinet stopped: ~tp", [Stop])
    end,
    Table = jinet_diff:format_summary(jinet_diff:summary(), 40),
    say("~njinet_socket_SUITE summary (~s; steps per case, identical to "
        "BEAM):~n~ts", [side_name(?config(mode, Config)), Table]),
    jinet_diff:stats_stop_sync(),
    ok.

side_name(standin) -> "stand-in: OTP socket backend";
side_name(self) -> "self-check: BEAM on both sides";
side_name(_) -> "jinet".

init_per_testcase(Case, Config) ->
    case {?config(mode, Config), missing(needs(Case))} of
        {jinet, [_ | _] = Missing} ->
            Why = lists:flatten(
                    io_lib:format("jinet module(s) ~p cannot be loaded "
                                  "(code path: ~ts)", [Missing, ebin_dir()])),
            say("jinet_socket_SUITE: ~p SKIPPED: ~ts", [Case, Why]),
            {skip, Why};
        _ ->
            Config
    end.

end_per_testcase(_Case, _Config) ->
    ok.

say(Format, Args) ->
    jinet_diff:log(Format, Args),
    io:format(user, Format ++ "~n", Args).

%%====================================================================
%% Nothing left over
%%====================================================================

%% After every scenario (their sockets closed, or their owners gone), the
%% node holds no socket and no process more than when it started, and
%% still answers.
no_leaks_at_end(Config) ->
    case ?config(mode, Config) of
        jinet ->
            J = ?config(jnode, Config),
            Base = ?config(baseline, Config),
            Deadline = erlang:monotonic_time(millisecond) + 10000,
            {Sockets, Procs} = settle_counts(J, Base, Deadline),
            jinet_diff:verdict(
              no_leaks_at_end, [],
              [{exact, "sockets open on the node", 0, Sockets},
               {exact, "processes on the node (as at the start)", Base, Procs},
               {exact, "still answers rpc:call", {ok, {1, 2, 3, 4}},
                rpc:call(J, inet, parse_address, ["1.2.3.4"], ?T)}]);
        Mode ->
            {skip, text("~p mode: the counts checked are jinet's own", [Mode])}
    end.

settle_counts(J, Base, Deadline) ->
    Counts = {erpc:call(J, jinet_node, socket_count, []),
              erpc:call(J, jinet_node, process_count, [])},
    case Counts =:= {0, Base} orelse erlang:monotonic_time(millisecond) > Deadline of
        true -> Counts;
        false -> timer:sleep(100), settle_counts(J, Base, Deadline)
    end.

%%====================================================================
%% Cases: groups of scenarios
%%====================================================================

tcp3() ->
    [#{c => test, s => test}, #{c => test, s => beam},
     #{c => beam, s => test}].

tcp_delivery(Config) ->
    group(tcp_delivery, Config, #{proto => tcp, family => inet},
          [{active_true, fun sc_active_true/1},
           {active_false, fun sc_active_false/1},
           {active_once, fun sc_active_once/1},
           {active_n, fun sc_active_n/1},
           {active_n_pending, fun sc_active_n_pending/1},
           {active_range, fun sc_active_range/1},
           {modes, fun sc_modes/1}
           | jinet_node_option(Config)],
          tcp3()).

tcp_passive(Config) ->
    group(tcp_passive, Config, #{proto => tcp, family => inet},
          [{recv_length, fun sc_recv_length/1},
           {recv_timeout, fun sc_recv_timeout/1},
           {recv_args, fun sc_recv_args/1}],
          tcp3()).

tcp_close(Config) ->
    group(tcp_close, Config, #{proto => tcp, family => inet},
          [{data_before_close, fun sc_data_before_close/1},
           {data_before_close_passive, fun sc_data_before_close_passive/1},
           {exit_on_close, fun sc_exit_on_close/1},
           {shutdown, fun sc_shutdown/1},
           {after_close, fun sc_after_close/1},
           {listener_closed, fun sc_listener_closed/1},
           {econnreset, fun sc_econnreset/1}],
          tcp3()).

tcp_owner(Config) ->
    group(tcp_owner, Config, #{proto => tcp, family => inet},
          [{non_owner, fun sc_non_owner/1},
           {controlling_process, fun sc_controlling_process/1},
           {cp_pending, fun sc_cp_pending/1},
           {owner_death, fun sc_owner_death/1}],
          tcp3()).

%% controlling_process to a process on another node: a port cannot have a
%% remote owner ({error, badarg}), but a module socket can, and the issue asks
%% jinet's to. The reference is then OTP's own module socket, the socket
%% backend (gen_tcp_socket), on BEAM.
tcp_remote_handover(Config) ->
    group(tcp_remote_handover, Config,
          #{proto => tcp, family => inet, reference => socket_backend},
          [{cp_remote, fun sc_cp_remote/1}],
          tcp3()).

tcp_remote_owner(Config) ->
    group(tcp_remote_owner, Config, #{proto => tcp, family => inet},
          [{remote_owner, fun sc_remote_owner/1},
           {owner_node_down, fun sc_owner_node_down/1}],
          [#{c => test, s => beam}, #{c => test, s => test}]).

tcp_errors(Config) ->
    group(tcp_errors, Config, #{proto => tcp, family => inet},
          [{econnrefused, fun sc_econnrefused/1},
           {eaddrinuse, fun sc_eaddrinuse/1},
           {eaddrnotavail, fun sc_eaddrnotavail/1},
           {einval_enotconn, fun sc_einval_enotconn/1},
           {timeout, fun sc_timeout/1},
           {nxdomain, fun sc_nxdomain/1},
           {badarg, fun sc_badarg/1}],
          [#{c => test, s => test}, #{c => test, s => beam}]).

tcp_options(Config) ->
    group(tcp_options, Config, #{proto => tcp, family => inet},
          [{getopts, fun sc_getopts/1},
           {setopts, fun sc_setopts/1},
           {getstat, fun sc_getstat/1}],
          tcp3()).

tcp_inet6(Config) ->
    group(tcp_inet6, Config, #{proto => tcp, family => inet6},
          [{active_true, fun sc_active_true/1},
           {active_once, fun sc_active_once/1},
           {active_n, fun sc_active_n/1},
           {recv_length, fun sc_recv_length/1},
           {data_before_close, fun sc_data_before_close/1},
           {after_close, fun sc_after_close/1},
           {econnrefused, fun sc_econnrefused/1},
           {eaddrinuse, fun sc_eaddrinuse/1},
           {getstat, fun sc_getstat/1},
           {getopts, fun sc_getopts/1}],
          tcp3()).

tcp_large(Config) ->
    group(tcp_large, Config, #{proto => tcp, family => inet,
                               limit => 150000},
          [{large_transfer, fun sc_large/1}],
          [#{c => test, s => beam}, #{c => beam, s => test}]).

udp3() ->
    [#{c => test, s => test}, #{c => test, s => beam},
     #{c => beam, s => test}].

udp_inet(Config) ->
    group(udp_inet, Config, #{proto => udp, family => inet},
          [{udp_active, fun sc_udp_active/1},
           {udp_passive, fun sc_udp_passive/1},
           {udp_once_n, fun sc_udp_once_n/1},
           {udp_connect, fun sc_udp_connect/1},
           {udp_errors, fun sc_udp_errors/1},
           {udp_after_close, fun sc_udp_after_close/1},
           {udp_opts_stats, fun sc_udp_opts_stats/1}],
          udp3()).

udp_inet6(Config) ->
    group(udp_inet6, Config, #{proto => udp, family => inet6},
          [{udp_active, fun sc_udp_active/1},
           {udp_passive, fun sc_udp_passive/1},
           {udp_once_n, fun sc_udp_once_n/1},
           {udp_errors, fun sc_udp_errors/1},
           {udp_opts_stats, fun sc_udp_opts_stats/1}],
          udp3()).

local_stream(Config) ->
    group(local_stream, Config, #{proto => tcp, family => local},
          [{active_true, fun sc_active_true/1},
           {active_once, fun sc_active_once/1},
           {recv_length, fun sc_recv_length/1},
           {data_before_close, fun sc_data_before_close/1},
           {exit_on_close, fun sc_exit_on_close/1},
           {after_close, fun sc_after_close/1},
           {local_errors, fun sc_local_errors/1},
           {getstat, fun sc_getstat/1}],
          tcp3()).

local_dgram(Config) ->
    group(local_dgram, Config, #{proto => udp, family => local},
          [{udp_active, fun sc_udp_active/1},
           {udp_passive, fun sc_udp_passive/1},
           {udp_after_close, fun sc_udp_after_close/1}],
          udp3()).

inet_i(Config) ->
    group(inet_i, Config, #{proto => tcp, family => inet},
          [{inet_i, fun sc_inet_i/1}],
          tcp3()).

%% A BEAM peer whose inetrc names jinet's modules ({tcp, jinet_tcp}.
%% {udp, jinet_udp}.; for the stand-in: -kernel inet_backend socket) runs an
%% unmodified echo server and client (plain gen_tcp/gen_udp calls, no module
%% option); a peer without it runs the same. The traces must agree, and the
%% first peer's sockets must be the module's.
inetrc_peer(Config) ->
    Mode = ?config(mode, Config),
    J = ?config(jnode, Config),
    Args = case Mode of
               self -> [];
               standin -> ["-kernel", "inet_backend", "socket"];
               jinet ->
                   Rc = filename:join(?config(priv_dir, Config),
                                      "jinet.inetrc"),
                   ok = file:write_file(Rc, "{tcp, jinet_tcp}.\n"
                                            "{udp, jinet_udp}.\n"),
                   ["-kernel", "inetrc", "\"" ++ Rc ++ "\""]
           end,
    Started = jinet_diff:parallel([fun() -> start_peer(J, []) end,
                                   fun() -> start_peer(J, Args) end]),
    case Started of
        [{ok, {ok, P0, N0}}, {ok, {ok, P1, N1}}] ->
            inetrc_compare(Mode, P0, N0, P1, N1);
        _ ->
            [catch peer:stop(P) || {ok, {ok, P, _}} <- Started],
            say("inetrc_peer: peers not started: ~tp", [Started]),
            ct:fail({peers_not_started, Started})
    end.

inetrc_compare(Mode, P0, N0, P1, N1) ->
    try
        [{ok, {T0, K0}}, {ok, {T1, K1}}] =
            jinet_diff:parallel(
              [fun() -> erpc:call(N, ?MODULE, plain_echo, [], 60000) end
               || N <- [N0, N1]]),
        Want = case Mode of
                   self -> [port, port];
                   standin -> [{'$inet', gen_tcp_socket},
                               {'$inet', gen_udp_socket}];
                   jinet -> [{'$inet', jinet_tcp}, {'$inet', jinet_udp}]
               end,
        Checks = rows(inetrc_peer, #{c => inetrc}, T0, T1) ++
            [{exact, "inetrc_peer: the socket kinds of the peer with the "
              "inetrc (tcp, udp)", Want, K1},
             {exact, "inetrc_peer: the socket kinds of the peer without",
              [port, port], K0}],
        jinet_diff:verdict(inetrc_peer, [], Checks)
    after
        catch peer:stop(P0),
        catch peer:stop(P1)
    end.

%% Run on a peer: an echo server and client with nothing but plain calls.
%% Returns the trace and the kinds of the client's sockets (tcp, udp).
plain_echo() ->
    put('$collector', none),
    put('$trace', []),
    put('$kinds', []),
    try plain_echo_steps()
    catch C:R -> t(crash, {C, R})
    end,
    {lists:reverse(get('$trace')), lists:reverse(get('$kinds'))}.

kind(S) when is_port(S) -> port;
kind({'$inet', M, _}) -> {'$inet', M};
kind(Other) -> {other, Other}.

plain_echo_steps() ->
    {ok, L} = c(listen, fun() -> gen_tcp:listen(0, [binary, {active, false}]) end),
    {ok, Port} = c(port, fun() -> inet:port(L) end),
    Parent = self(),
    Server = spawn(fun() ->
                           case gen_tcp:accept(L, ?T) of
                               {ok, A} ->
                                   Parent ! {accepted, inet:peername(A)},
                                   echo(A);
                               Error ->
                                   Parent ! {accepted, Error}
                           end
                   end),
    {ok, C} = c(connect, fun() -> gen_tcp:connect("localhost", Port,
                                                  [binary, {active, false}],
                                                  ?T) end),
    put('$kinds', [kind(C)]),
    c(accepted, fun() -> receive {accepted, P} -> P after ?T -> none end end),
    [c({echo, I}, fun() ->
                          ok = gen_tcp:send(C, Msg),
                          recv_exactly(C, byte_size(Msg))
                  end)
     || {I, Msg} <- [{1, <<"hello">>}, {2, binary:copy(<<"x">>, 100000)}]],
    c(sockname, fun() -> inet:sockname(C) end),
    c(peername, fun() -> inet:peername(C) end),
    c(shutdown, fun() -> gen_tcp:shutdown(C, write) end),
    c(recv_closed, fun() -> gen_tcp:recv(C, 0, ?T) end),
    c(close, fun() -> gen_tcp:close(C) end),
    exit(Server, kill),
    {ok, U1} = c(udp_open, fun() -> gen_udp:open(0, [binary, {active, false}]) end),
    put('$kinds', [kind(U1) | get('$kinds')]),
    {ok, U2} = c(udp_open, fun() -> gen_udp:open(0, [binary, {active, true}]) end),
    {ok, P2} = c(port, fun() -> inet:port(U2) end),
    c(udp_send, fun() -> gen_udp:send(U1, "localhost", P2, <<"ping">>) end),
    c(udp_msg, fun() -> receive {udp, _, _, _, _} = M -> M after ?T -> none end end),
    c(udp_close, fun() -> {gen_udp:close(U1), gen_udp:close(U2)} end),
    c(close_listener, fun() -> gen_tcp:close(L) end).

echo(S) ->
    case gen_tcp:recv(S, 0, ?T) of
        {ok, D} -> _ = gen_tcp:send(S, D), echo(S);
        _ -> gen_tcp:close(S)
    end.

recv_exactly(S, N) -> recv_exactly(S, N, []).
recv_exactly(_S, 0, Acc) -> {ok, iolist_to_binary(lists:reverse(Acc))};
recv_exactly(S, N, Acc) ->
    case gen_tcp:recv(S, 0, ?T) of
        {ok, D} -> recv_exactly(S, N - byte_size(D), [D | Acc]);
        Other -> {Other, iolist_size(Acc)}
    end.

%%====================================================================
%% Running scenarios and comparing their traces
%%====================================================================

group(Case, Config, Base, Scenarios, Variants) ->
    Ctx0 = Base#{mode => ?config(mode, Config),
                 jnode => ?config(jnode, Config),
                 pnode => ?config(pnode, Config),
                 sock_dir => ?config(sock_dir, Config),
                 'case' => Case},
    T0 = erlang:monotonic_time(millisecond),
    Runs = [run_scenario(Ctx0, S, Variants) || S <- Scenarios],
    jinet_diff:log("~p: ~b scenarios in ~b ms",
                   [Case, length(Scenarios),
                    erlang:monotonic_time(millisecond) - T0]),
    RefKinds = lists:usort(lists:append([K || {_, K, _} <- Runs])),
    TestKinds = lists:usort(lists:append([K || {_, _, K} <- Runs])),
    Mode = ?config(mode, Config),
    %% Labels hide what made a socket: these show that each side's sockets
    %% were made by the modules meant (and not, say, all by BEAM's).
    Hosting =
        [case maps:get(reference, Base, ports) of
             ports ->
                 {exact, "the reference run's sockets are BEAM's ports",
                  [port], RefKinds};
             socket_backend ->
                 {exact, "the reference run's sockets are OTP's socket backend's",
                  [gen_tcp_socket], RefKinds}
         end,
         {exact, text("the side under test made sockets of ~p",
                      [test_kinds(Mode)]),
          true, lists:any(fun(K) -> lists:member(K, test_kinds(Mode)) end,
                          TestKinds)}],
    jinet_diff:verdict(Case, [], lists:append([R || {R, _, _} <- Runs])
                       ++ Hosting).

text(Format, Args) -> lists:flatten(io_lib:format(Format, Args)).

test_kinds(jinet) -> jinet_modules();
test_kinds(standin) -> [gen_tcp_socket, gen_udp_socket];
test_kinds(self) -> [port].

%% What made the sockets in a trace: port, or the module of {'$inet', M, _}.
socket_kinds(T) when is_port(T) -> [port];
socket_kinds({'$inet', M, _}) when is_atom(M) -> [M];
socket_kinds([H | T]) -> socket_kinds(H) ++ socket_kinds(T);
socket_kinds(T) when is_tuple(T) -> socket_kinds(tuple_to_list(T));
socket_kinds(T) when is_map(T) -> socket_kinds(maps:to_list(T));
socket_kinds(_) -> [].

run_scenario(Ctx, {Name, Fun}, Variants) ->
    run_scenario(Ctx, {Name, Fun, #{}}, Variants);
run_scenario(Ctx0, {Name, Fun, Opts}, Variants) ->
    Ctx = Ctx0#{scenario => Name},
    Ref = maps:map(fun(_, _) -> beam end, hd(Variants)),
    Around = maps:get(around, Opts, fun(F) -> F() end),
    Limit = maps:get(limit, Ctx, ?SCENARIO_LIMIT),
    T0 = erlang:monotonic_time(millisecond),
    Results = Around(
                fun() ->
                        jinet_diff:parallel(
                          [fun() -> trace(Ctx#{roles => R}, Fun, Limit) end
                           || R <- [Ref | Variants]])
                end),
    jinet_diff:log("~p: ~b ms", [Name, erlang:monotonic_time(millisecond) - T0]),
    [RefTrace | Traces] =
        [case X of
             {ok, T} -> T;
             {'EXIT', Why} -> [{harness_crash, Why}]
         end || X <- Results],
    {lists:append([rows(Name, V, RefTrace, T)
                   || {V, T} <- lists:zip(Variants, Traces)]),
     lists:usort(socket_kinds(RefTrace)),
     lists:usort(socket_kinds(Traces))}.

%% The trace of Fun(Ctx), run in a process of its own; steps come as
%% messages, so a scenario that hangs still shows how far it got.
trace(Ctx, Fun, Limit) ->
    Self = self(),
    {Pid, Mon} =
        spawn_monitor(
          fun() ->
                  put('$collector', Self),
                  put('$ctx', Ctx),
                  put('$agents', []),
                  try Fun(Ctx)
                  catch C:R:St ->
                          jinet_diff:log("~p ~p crashed: ~tp:~tp~n~tp",
                                         [maps:get(scenario, Ctx),
                                          maps:get(roles, Ctx), C, R, St]),
                          t(crash, {C, R})
                  end,
                  t(end_msgs, jinet_diff:receive_all(?QUIET)),
                  [exit(A, kill) || A <- get('$agents')]
          end),
    Deadline = erlang:monotonic_time(millisecond) + Limit,
    collect(Pid, Mon, Deadline, []).

collect(Pid, Mon, Deadline, Acc) ->
    Left = max(0, Deadline - erlang:monotonic_time(millisecond)),
    receive
        {'$step', Pid, Step, V} ->
            collect(Pid, Mon, Deadline, [{Step, V} | Acc]);
        {'DOWN', Mon, process, Pid, normal} ->
            lists:reverse(Acc);
        {'DOWN', Mon, process, Pid, Why} ->
            lists:reverse([{scenario_died, Why} | Acc])
    after Left ->
            exit(Pid, kill),
            lists:reverse([{scenario_timeout, hung_after_last_step} | Acc])
    end.

%% The checks for one variant: one row per step.
rows(Name, Variant, RefTrace, Trace) ->
    {CR, CT} = canon_traces(RefTrace, Trace),
    N = max(length(CR), length(CT)),
    Pad = fun(L) -> L ++ lists:duplicate(N - length(L), {'$missing', none})
          end,
    VarText = string:join([io_lib:format("~p=~p", [K, V])
                           || {K, V} <- lists:sort(maps:to_list(Variant))],
                          ","),
    [{lists:flatten(
        io_lib:format("~p [~s] step ~b ~ts", [Name, VarText, I,
                                              step_name(SR, ST)])),
      VR, VT}
     || {I, {SR, VR}, {ST, VT}} <- lists:zip3(lists:seq(1, N),
                                              Pad(CR), Pad(CT))].

step_name(S, S) -> io_lib:format("~tp", [S]);
step_name(SR, ST) -> io_lib:format("~tp (other side: ~tp)", [SR, ST]).

canon_traces(RefTrace, Trace) ->
    jinet_diff:canon_pair(canon_side(RefTrace), canon_side(Trace), [], true).

%% One side's trace with sockets, ephemeral ports, local paths and node
%% names replaced by labels in order of first appearance.
canon_side(Trace) ->
    {T, _} = lists:mapfoldl(
               fun({port = Step, {ok, P}}, S) when is_integer(P) ->
                       {L, S1} = port_label(P, S),
                       {{Step, {ok, L}}, S1};
                  ({Step, V}, S) ->
                       {CV, S1} = cw(V, S),
                       {{Step, by_socket(CV)}, S1}
               end, #{}, Trace),
    T.

%% Messages of different sockets have no order between them: a batch of
%% socket messages is ordered by socket label, each socket's own in the
%% order they came.
by_socket([_, _ | _] = Msgs) ->
    case lists:all(fun is_socket_msg/1, Msgs) of
        true ->
            Keyed = lists:zip([element(2, M) || M <- Msgs],
                              lists:seq(1, length(Msgs))),
            [M || {_, M} <- lists:sort(
                              [{{K, I}, M} || {{K, I}, M} <-
                                                  lists:zip(Keyed, Msgs)])];
        false -> Msgs
    end;
by_socket(V) -> V.

is_socket_msg(M) when is_tuple(M), tuple_size(M) >= 2 ->
    lists:member(element(1, M), [tcp, tcp_closed, tcp_error, tcp_passive,
                                 udp, udp_closed, udp_error, udp_passive])
        andalso is_tuple(element(2, M)) andalso tuple_size(element(2, M)) =:= 2
        andalso element(1, element(2, M)) =:= '$sock';
is_socket_msg(_) -> false.

cw(T, S) when is_port(T) -> label(sock, T, S);
cw({'$inet', M, _} = T, S) when is_atom(M) -> label(sock, T, S);
cw({local, P}, S) when is_binary(P), P =/= <<>> ->
    {L, S1} = label(path, P, S),
    {{local, {L, binary}}, S1};
cw({local, [_ | _] = P}, S) ->
    {L, S1} = case unicode:characters_to_binary(P) of
                  B when is_binary(B) -> label(path, B, S);
                  _ -> label(path, P, S)
              end,
    {{local, {L, string}}, S1};
cw({IP, P}, S) when is_integer(P) ->
    case is_ip(IP) of
        true ->
            {L, S1} = port_label(P, S),
            {{IP, L}, S1};
        false ->
            {CIP, S1} = cw(IP, S),
            {CP, S2} = cw(P, S1),
            {{CIP, CP}, S2}
    end;
cw({udp, Sock, IP, P, D}, S) when is_integer(P), ?IS_ADDR(IP) ->
    {CS, S1} = cw(Sock, S),
    {CA, S2} = cw(IP, S1),
    {L, S3} = port_label(P, S2),
    {CD, S4} = cw(D, S3),
    {{udp, CS, CA, L, CD}, S4};
cw({udp, Sock, IP, P, Anc, D}, S) when is_integer(P), ?IS_ADDR(IP) ->
    {CS, S1} = cw(Sock, S),
    {CA, S2} = cw(IP, S1),
    {L, S3} = port_label(P, S2),
    {CAnc, S4} = cw(Anc, S3),
    {CD, S5} = cw(D, S4),
    {{udp, CS, CA, L, CAnc, CD}, S5};
cw({ok, {IP, P, D}}, S) when is_integer(P), ?IS_ADDR(IP) ->
    {CA, S1} = cw(IP, S),
    {L, S2} = port_label(P, S1),
    {CD, S3} = cw(D, S2),
    {{ok, {CA, L, CD}}, S3};
cw({addr, Host, P}, S) when is_integer(P) ->          % from inet:i() text
    {L, S1} = port_label(P, S),
    {{addr, Host, L}, S1};
cw(A, S) when is_atom(A), A =/= node() ->
    case lists:member($@, atom_to_list(A)) of
        true -> {'$node', S};
        false -> {A, S}
    end;
cw([H | T], S) ->
    {CH, S1} = cw(H, S),
    {CT, S2} = cw(T, S1),
    {[CH | CT], S2};
cw(T, S) when is_tuple(T) ->
    {L, S1} = cw(tuple_to_list(T), S),
    {list_to_tuple(L), S1};
cw(T, S) when is_map(T) ->
    {L, S1} = cw(lists:sort(maps:to_list(T)), S),
    {maps:from_list(L), S1};
cw(T, S) ->
    {T, S}.

is_ip(IP) when is_tuple(IP), tuple_size(IP) =:= 4; tuple_size(IP) =:= 8 ->
    lists:all(fun is_integer/1, tuple_to_list(IP));
is_ip(_) ->
    false.

%% Ports below 1024 are well known: kept.
port_label(P, S) when is_integer(P), P >= 1024, P =< 65535 -> label(port, P, S);
port_label(P, S) -> {P, S}.

label(Kind, T, S) ->
    case S of
        #{{Kind, T} := L} -> {L, S};
        _ ->
            N = maps:get({next, Kind}, S, 1),
            L = {list_to_atom("$" ++ atom_to_list(Kind)), N},
            {L, S#{{Kind, T} => L, {next, Kind} => N + 1}}
    end.

%%====================================================================
%% Recording, messages, agents
%%====================================================================

%% Records a step and returns its value.
t(Step, V) ->
    case get('$collector') of
        none -> put('$trace', [{Step, V} | get('$trace')]);
        C -> C ! {'$step', self(), Step, V}
    end,
    V.

%% Records what F returns, or the exception it raises ({'EXIT', Class,
%% Reason}: stacks are not compared).
c(Step, F) ->
    t(Step, x(F)).

x(F) ->
    try F() catch C:R -> {'EXIT', C, R} end.

%% The N messages that must come (each within ?T), then any that come within
%% ?QUIET ms more.
m(Step, N) ->
    Got = recv_n(N) ++ jinet_diff:receive_all(?QUIET),
    warn_count(Step, N, length(Got)),
    t(Step, Got).

%% Once a message that must come has not come within ?T, the trace already
%% differs: later waits of the scenario are 1 s, to keep a broken run short.
recv_n(0) -> [];
recv_n(N) ->
    receive M -> [M | recv_n(N - 1)]
    after wait_time() -> put('$late', true), []
    end.

wait_time() ->
    case get('$late') of
        true -> 1000;
        _ -> ?T
    end.

%% On the reference run (all BEAM), a count that is not what BEAM gives
%% makes the harness slow or blind: say so.
warn_count(Step, N, Got) when N =/= Got ->
    case get('$ctx') of
        #{roles := Roles, scenario := Sc} ->
            case lists:usort(maps:values(Roles)) of
                [beam] ->
                    ct:pal("harness: ~p step ~p: BEAM gave ~b message(s), "
                           "~b expected", [Sc, Step, Got, N]);
                _ -> ok
            end;
        _ -> ok
    end;
warn_count(_, _, _) -> ok.

%% Messages until one for which Until holds (each within ?T), then any that
%% come within ?QUIET ms; consecutive data messages of a socket are joined
%% (TCP may cut a stream anywhere).
mu(Step, Until) ->
    t(Step, merge(recv_until(Until) ++ jinet_diff:receive_all(?QUIET))).

recv_until(Until) ->
    receive M ->
            case Until(M) of
                true -> [M];
                false -> [M | recv_until(Until)]
            end
    after ?T -> [timeout_waiting]
    end.

merge([{tcp, S, D1}, {tcp, S, D2} | T]) ->
    merge([{tcp, S, join(D1, D2)} | T]);
merge([H | T]) -> [H | merge(T)];
merge([]) -> [].

join(A, B) when is_binary(A), is_binary(B) -> <<A/binary, B/binary>>;
join(A, B) when is_list(A), is_list(B) -> A ++ B;
join(A, B) -> {A, B}.

closed(Tag) -> fun(M) -> element(1, M) =:= Tag end.

%% Waits (bounded) until this process's mailbox holds a message for which
%% Pred holds, without taking any.
%% Waits (up to 10 s) until a message is in the mailbox, so that a step after
%% it finds it there. Not a step: how soon it comes is timing, and what came
%% is compared by the steps that take the messages.
await_queued(Pred) -> await_queued(Pred, 200).
await_queued(_Pred, 0) -> timeout;
await_queued(Pred, N) ->
    {messages, Ms} = process_info(self(), messages),
    case lists:any(Pred, Ms) of
        true -> ok;
        false -> timer:sleep(50), await_queued(Pred, N - 1)
    end.

%% A process (on Node) that runs funs for the scenario: owner of sockets,
%% non-owner caller, receiver of moved messages. Killed when the scenario
%% ends.
agent() -> agent(node()).
agent(Node) ->
    A = spawn(Node, ?MODULE, agent_loop, []),
    put('$agents', [A | get('$agents')]),
    A.

agent_loop() ->
    receive
        {do, From, Ref, F} ->
            From ! {Ref, x(F)},
            agent_loop()
    end.

ado(A, F) ->
    Ref = make_ref(),
    Mon = erlang:monitor(process, A),
    A ! {do, self(), Ref, F},
    receive
        {Ref, R} -> erlang:demonitor(Mon, [flush]), R;
        {'DOWN', Mon, process, A, Why} -> {agent_down, Why}
    after 3 * ?T ->
            erlang:demonitor(Mon, [flush]),
            agent_timeout
    end.

%% A step run by an agent.
a(Step, A, F) ->
    t(Step, ado(A, F)).

%% The messages an agent received (N must come).
am(Step, A, N) ->
    t(Step, ado(A, fun() -> recv_n(N) ++ jinet_diff:receive_all(?QUIET) end)).

kill(A) ->
    Mon = erlang:monitor(process, A),
    exit(A, kill),
    receive {'DOWN', Mon, process, A, _} -> ok after ?T -> timeout end.

%%====================================================================
%% Sides, addresses, connections
%%====================================================================

side(Ctx, Role) -> maps:get(Role, maps:get(roles, Ctx)).

%% The options that choose the module of a socket of Role.
o(#{reference := socket_backend} = Ctx, Role) ->
    case side(Ctx, Role) of
        beam -> [{inet_backend, socket}, maps:get(family, Ctx)];
        test -> side_opts(test, maps:get(proto, Ctx), maps:get(family, Ctx),
                          maps:get(mode, Ctx))
    end;
o(Ctx, Role) ->
    side_opts(side(Ctx, Role), maps:get(proto, Ctx), maps:get(family, Ctx),
              maps:get(mode, Ctx)).

side_opts(beam, tcp, inet, _) -> [{tcp_module, inet_tcp}];
side_opts(beam, tcp, inet6, _) -> [{tcp_module, inet6_tcp}];
side_opts(beam, tcp, local, _) -> [{tcp_module, local_tcp}];
side_opts(beam, udp, inet, _) -> [{udp_module, inet_udp}];
side_opts(beam, udp, inet6, _) -> [{udp_module, inet6_udp}];
side_opts(beam, udp, local, _) -> [{udp_module, local_udp}];
side_opts(test, tcp, inet, jinet) -> [{tcp_module, jinet_tcp}];
side_opts(test, tcp, inet6, jinet) -> [{tcp_module, jinet6_tcp}];
side_opts(test, tcp, local, jinet) -> [{tcp_module, jinet_local_tcp}];
side_opts(test, udp, inet, jinet) -> [{udp_module, jinet_udp}];
side_opts(test, udp, inet6, jinet) -> [{udp_module, jinet6_udp}];
side_opts(test, udp, local, jinet) -> [{udp_module, jinet_local_udp}];
side_opts(test, _, Family, standin) -> [{inet_backend, socket}, Family];
side_opts(test, Proto, Family, self) -> side_opts(beam, Proto, Family, self).

loopback(#{family := inet}) -> {127, 0, 0, 1};
loopback(#{family := inet6}) -> {0, 0, 0, 0, 0, 0, 0, 1}.

new_path(Ctx) ->
    filename:join(maps:get(sock_dir, Ctx),
                  integer_to_list(erlang:unique_integer([positive]))).

%% Where a socket of Ctx's family binds.
bind_opts(Ctx = #{family := local}) -> [{ifaddr, {local, new_path(Ctx)}}];
bind_opts(Ctx) -> [{ip, loopback(Ctx)}].

listen(Ctx, Role, Opts) ->
    gen_tcp:listen(0, o(Ctx, Role) ++ bind_opts(Ctx) ++ Opts).

connect(Ctx, Role, {local, _} = Addr, Opts) ->
    gen_tcp:connect(Addr, 0, o(Ctx, Role) ++ Opts, ?T);
connect(Ctx, Role, {Addr, Port}, Opts) ->
    gen_tcp:connect(Addr, Port, o(Ctx, Role) ++ Opts, ?T).

ok({ok, V}) -> V;
ok(Other) -> error({not_ok, Other}).

%% A listener (role s), a client socket (role c) connected to it and the
%% accepted socket, every call recorded.
setup(Ctx, LOpts, COpts) ->
    L = ok(c(listen, fun() -> listen(Ctx, s, LOpts) end)),
    Addr = ok(c(sockname_l, fun() -> inet:sockname(L) end)),
    C = ok(c(connect, fun() -> connect(Ctx, c, Addr, COpts) end)),
    A = ok(c(accept, fun() -> gen_tcp:accept(L, ?T) end)),
    c(sockname_c, fun() -> inet:sockname(C) end),
    c(peername_c, fun() -> inet:peername(C) end),
    c(peername_a, fun() -> inet:peername(A) end),
    {L, C, A}.

send(Step, S, Data) ->
    c(Step, fun() -> gen_tcp:send(S, Data) end).

setopts(Step, S, Opts) ->
    c(Step, fun() -> inet:setopts(S, Opts) end).

getopts(Step, S, Opts) ->
    c(Step, fun() -> inet:getopts(S, Opts) end).

recv(Step, S, Len, Timeout) ->
    c(Step, fun() -> gen_tcp:recv(S, Len, Timeout) end).

%% Data the peer has sent is in the receiving kernel (or host) before the
%% next step: a round trip on a second connection is no proof, so wait a
%% little, the same on every side (only used where the data is then read as
%% one piece, whatever its timing).
settle() -> timer:sleep(300).

%%====================================================================
%% TCP scenarios: delivery modes
%%====================================================================

sc_active_true(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, true}], [binary, {active, false}]),
    send(send1, C, "one"),
    m(msgs1, 1),
    send(send2, C, <<"two">>),
    m(msgs2, 1),
    send(send3, C, ["th", [$r], <<"ee">>]),
    m(msgs3, 1),
    getopts(getopts_a, A, [active]),
    send(send_back, A, "back"),
    recv(recv_c, C, 0, ?T),
    c(close_c, fun() -> gen_tcp:close(C) end),
    m(closed, 1).

sc_active_false(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, false}], [binary, {active, false}]),
    send(send, C, "abc"),
    m(no_msgs, 0),
    recv(recv, A, 0, ?T),
    getopts(getopts_a, A, [active]),
    c(close_c, fun() -> gen_tcp:close(C) end),
    recv(recv_closed, A, 0, ?T),
    m(no_msgs, 0).

sc_active_once(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, once}], [binary, {active, false}]),
    send(send1, C, "a"),
    m(msg1, 1),
    getopts(getopts_after, A, [active]),
    send(send2, C, "b"),
    m(none_while_passive, 0),
    setopts(once_again, A, [{active, once}]),
    m(msg2, 1),
    setopts(once_idle, A, [{active, once}]),
    getopts(getopts_once, A, [active]),
    m(none, 0),
    send(send3, C, "c"),
    m(msg3, 1),
    c(close_c, fun() -> gen_tcp:close(C) end),
    setopts(once_for_close, A, [{active, once}]),
    m(closed, 1).

sc_active_n(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, 2}], [binary, {active, false}]),
    getopts(getopts0, A, [active]),
    send(send1, C, "1"),
    m(msg1, 1),
    getopts(getopts1, A, [active]),
    send(send2, C, "2"),
    m(msg2_and_passive, 2),
    getopts(getopts2, A, [active]),
    setopts(set3, A, [{active, 3}]),
    getopts(getopts3, A, [active]),
    setopts(add2, A, [{active, 2}]),
    getopts(getopts5, A, [active]),
    setopts(sub5, A, [{active, -5}]),
    m(passive_at_zero, 1),
    getopts(getopts_zero, A, [active]),
    setopts(zero_on_passive, A, [{active, 0}]),
    m(zero_on_passive_msgs, 1),
    setopts(set1, A, [{active, 1}]),
    setopts(minus3, A, [{active, -3}]),
    m(passive_below_zero, 1),
    getopts(getopts_neg, A, [active]),
    setopts(set_true, A, [{active, true}]),
    setopts(n_on_true, A, [{active, 4}]),
    getopts(getopts_n_on_true, A, [active]),
    setopts(zero_on_true, A, [{active, 0}]),
    m(zero_on_true_msgs, 0),
    getopts(getopts_end, A, [active]),
    m(none, 0).

%% Data waiting while passive, then {active, N}: delivered, counted.
sc_active_n_pending(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, false}], [binary, {active, false}]),
    send(send, C, "pending"),
    settle(),
    m(none, 0),
    setopts(active1, A, [{active, 1}]),
    m(data_and_passive, 2),
    send(send2, C, "more"),
    settle(),
    setopts(active_once, A, [{active, once}]),
    m(data, 1),
    setopts(active3, A, [{active, 3}]),
    c(close_c, fun() -> gen_tcp:close(C) end),
    m(closed, 1),
    getopts(getopts_after_close, A, [active]).

sc_active_range(Ctx) ->
    {_L, _C, A} = setup(Ctx, [binary, {active, false}], [binary]),
    setopts(max, A, [{active, 32767}]),
    getopts(getopts_max, A, [active]),
    setopts(over_sum, A, [{active, 1}]),
    getopts(getopts_after_over, A, [active]),
    setopts(too_big, A, [{active, 32768}]),
    setopts(too_small, A, [{active, -32769}]),
    setopts(min, A, [{active, -32768}]),
    m(passive_msg, 1),
    getopts(getopts_min, A, [active]),
    setopts(float, A, [{active, 1.0}]),
    setopts(bad_atom, A, [{active, sometimes}]),
    getopts(getopts_end, A, [active]),
    m(none, 0),
    c(listen_too_big, fun() -> listen(Ctx, s, [{active, 40000}]) end),
    c(listen_neg, fun() -> listen(Ctx, s, [{active, -1}]) end).

sc_modes(Ctx) ->
    {_L, C, A} = setup(Ctx, [{mode, list}, {active, true}], [binary, {active, false}]),
    getopts(getopts_mode, A, [mode]),
    send(send1, C, <<"abc">>),
    m(list_msg, 1),
    setopts(binary, A, [binary]),
    getopts(getopts_mode2, A, [mode]),
    send(send2, C, "def"),
    m(binary_msg, 1),
    setopts(list_atom, A, [list, {active, false}]),
    send(send3, C, "ghi"),
    recv(recv_list, A, 0, ?T),
    setopts(mode_binary, A, [{mode, binary}]),
    send(send4, C, "jkl"),
    recv(recv_binary, A, 0, ?T),
    setopts(bad_mode, A, [{mode, text}]),
    getopts(getopts_mode3, A, [mode]),
    getopts(getopts_c, C, [mode, active]),
    c(connect_list, fun() ->
                            {ok, Addr} = inet:sockname(A),
                            {ok, C2} = connect(Ctx, c, Addr, [list]),
                            inet:getopts(C2, [mode, active])
                    end).

%% The {jinet_node, N} socket option overrides the application environment:
%% the environment names a node that does not exist while the test side's
%% sockets are opened with the option.
jinet_node_option(Config) ->
    case ?config(mode, Config) of
        jinet ->
            J = ?config(jnode, Config),
            Around = fun(F) ->
                             ok = application:set_env(jinet, node,
                                                      'jinet_nosuch@nohost'),
                             try F()
                             after ok = application:set_env(jinet, node, J)
                             end
                     end,
            [{jinet_node_option, fun sc_jinet_node_option/1,
              #{around => Around}}];
        _ -> []
    end.

sc_jinet_node_option(Ctx) ->
    X = fun(Role) ->
                case side(Ctx, Role) of
                    test -> [{jinet_node, maps:get(jnode, Ctx)}];
                    beam -> []
                end
        end,
    L = ok(c(listen, fun() -> listen(Ctx, s, X(s) ++ [binary, {active, true}]) end)),
    Addr = ok(c(sockname_l, fun() -> inet:sockname(L) end)),
    C = ok(c(connect, fun() -> connect(Ctx, c, Addr, X(c) ++ [binary]) end)),
    _A = ok(c(accept, fun() -> gen_tcp:accept(L, ?T) end)),
    send(send, C, "via option"),
    m(msg, 1).

%%====================================================================
%% TCP scenarios: passive receive
%%====================================================================

sc_recv_length(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, false}], [binary, {active, false}]),
    send(send, C, "0123456789"),
    recv(recv5, A, 5, ?T),
    recv(recv_rest, A, 0, ?T),
    send(send2, C, "abcdefgh"),
    recv(recv3, A, 3, ?T),
    recv(recv5_of_rest, A, 5, ?T),
    setopts(list, A, [list]),
    send(send3, C, "xyz"),
    recv(recv_list2, A, 2, ?T),
    recv(recv_list_rest, A, 0, ?T).

sc_recv_timeout(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, false}], [binary, {active, false}]),
    recv(recv_nothing, A, 0, 200),
    recv(recv_zero_timeout, A, 0, 0),
    send(send, C, "ab"),
    recv(recv_more_than_there, A, 4, 300),
    send(send2, C, "cd"),
    recv(recv_after_partial, A, 4, ?T),
    send(send3, C, "ef"),
    settle(),
    recv(recv_ready_zero_timeout, A, 0, 0),
    setopts(active, A, [{active, true}]),
    recv(recv_on_active, A, 0, 100),
    setopts(once, A, [{active, once}]),
    recv(recv_on_once, A, 0, 100),
    setopts(n, A, [{active, 5}]),
    recv(recv_on_n, A, 0, 100),
    m(none, 0).

sc_recv_args(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, false}], [binary, {active, false}]),
    recv(neg_length, A, -1, 100),
    recv(bad_timeout, A, 0, soon),
    c(bad_length, fun() -> gen_tcp:recv(A, many, 100) end),
    send(send, C, "ok"),
    recv(recv_after_bad, A, 0, ?T).

%%====================================================================
%% TCP scenarios: closing
%%====================================================================

sc_data_before_close(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, true}], [binary, {active, false}]),
    send(send1, C, "first "),
    send(send2, C, binary:copy(<<"m">>, 50000)),
    send(send3, C, " last"),
    c(close_c, fun() -> gen_tcp:close(C) end),
    mu(data_then_closed, closed(tcp_closed)),
    send(send_after_closed, A, "x"),
    recv(recv_after_closed, A, 0, 100),
    setopts(passive_after_closed, A, [{active, false}]),
    recv(recv_passive_after_closed, A, 0, 100),
    getopts(getopts_after_closed, A, [active]),
    c(close_a, fun() -> gen_tcp:close(A) end),
    m(none, 0).

sc_data_before_close_passive(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, false}], [binary, {active, false}]),
    send(send1, C, binary:copy(<<"p">>, 70000)),
    send(send2, C, "end"),
    c(close_c, fun() -> gen_tcp:close(C) end),
    c(recv_all, fun() -> recv_all(A, <<>>) end),
    recv(recv_again, A, 0, 100),
    send(send_after, A, "x"),
    m(none, 0).

recv_all(S, Acc) ->
    case gen_tcp:recv(S, 0, ?T) of
        {ok, D} -> recv_all(S, <<Acc/binary, D/binary>>);
        Other -> {byte_size(Acc), erlang:crc32(Acc), Other}
    end.

sc_exit_on_close(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, false}, {exit_on_close, false}],
                       [binary, {active, false}]),
    getopts(getopts_eoc, A, [exit_on_close]),
    send(request, C, "request"),
    c(shutdown_write_c, fun() -> gen_tcp:shutdown(C, write) end),
    recv(recv_request, A, 0, ?T),
    recv(recv_eof, A, 0, ?T),
    recv(recv_eof_again, A, 0, 100),
    send(reply, A, "reply"),
    recv(recv_reply, C, 0, ?T),
    setopts(active_after_eof, A, [{active, once}]),
    m(closed_msg, 1),
    send(reply2, A, "more"),
    recv(recv_reply2, C, 0, ?T),
    c(close_a, fun() -> gen_tcp:close(A) end),
    recv(recv_closed_c, C, 0, ?T),
    m(none, 0).

sc_shutdown(Ctx) ->
    {L, C, A} = setup(Ctx, [binary, {active, true}], [binary, {active, false}]),
    send(send, C, "before"),
    c(shutdown_write, fun() -> gen_tcp:shutdown(C, write) end),
    mu(data_closed, closed(tcp_closed)),
    send(send_after_shutdown_write, C, "x"),
    send(send_to_half_closed, A, "reply"),
    recv(recv_on_half_closed, C, 0, ?T),
    c(shutdown_read, fun() -> gen_tcp:shutdown(C, read) end),
    recv(recv_after_shutdown_read, C, 0, 200),
    c(shutdown_bad, fun() -> gen_tcp:shutdown(C, sideways) end),
    Addr = ok(c(sockname_l, fun() -> inet:sockname(L) end)),
    C2 = ok(c(connect2, fun() -> connect(Ctx, c, Addr, [binary, {active, true}]) end)),
    A2 = ok(c(accept2, fun() -> gen_tcp:accept(L, ?T) end)),
    c(shutdown_read_write, fun() -> gen_tcp:shutdown(A2, read_write) end),
    m(closed2, 2),
    send(send_after_rw, A2, "x"),
    recv(recv_after_rw, A2, 0, 100),
    c(shutdown_listener, fun() -> gen_tcp:shutdown(L, write) end),
    c(close2, fun() -> gen_tcp:close(C2) end),
    m(none, 0).

sc_after_close(Ctx) ->
    {L, C, A} = setup(Ctx, [binary, {active, true}], [binary, {active, false}]),
    Other = agent(),
    c(close_c, fun() -> gen_tcp:close(C) end),
    m(closed_a, 1),
    send(send, C, "x"),
    recv(recv, C, 0, 100),
    setopts(setopts, C, [{active, true}]),
    getopts(getopts, C, [active, mode]),
    c(peername, fun() -> inet:peername(C) end),
    c(sockname, fun() -> inet:sockname(C) end),
    c(port, fun() -> inet:port(C) end),
    c(getstat, fun() -> inet:getstat(C) end),
    c(shutdown, fun() -> gen_tcp:shutdown(C, write) end),
    c(controlling_process_self, fun() -> gen_tcp:controlling_process(C, self()) end),
    c(controlling_process_other, fun() -> gen_tcp:controlling_process(C, Other) end),
    c(close_again, fun() -> gen_tcp:close(C) end),
    c(close_a, fun() -> gen_tcp:close(A) end),
    c(close_l, fun() -> gen_tcp:close(L) end),
    c(accept_closed_l, fun() -> gen_tcp:accept(L, 100) end),
    c(sockname_closed_l, fun() -> inet:sockname(L) end),
    c(close_l_again, fun() -> gen_tcp:close(L) end),
    m(none, 0).

%% A listener closed while a process waits in accept.
sc_listener_closed(Ctx) ->
    L = ok(c(listen, fun() -> listen(Ctx, s, [binary, {active, false}]) end)),
    Ag = agent(),
    Self = self(),
    Ag ! {do, Self, accept, fun() -> gen_tcp:accept(L, ?T) end},
    timer:sleep(300),
    c(close_l, fun() -> gen_tcp:close(L) end),
    c(accept_result, fun() -> receive {accept, R} -> R after ?T -> none end end),
    m(none, 0).

sc_econnreset(Ctx) ->
    {L, C, A} = setup(Ctx, [binary, {active, true}, {show_econnreset, true}],
                      [binary, {active, false}]),
    getopts(getopts_show, A, [show_econnreset]),
    send(send, C, "bye"),
    m(data, 1),
    setopts(linger0, C, [{linger, {true, 0}}]),
    c(close_c, fun() -> gen_tcp:close(C) end),
    mu(reset, closed(tcp_closed)),
    send(send_after_reset, A, "x"),
    %% Passive, without show_econnreset.
    Addr = ok(c(sockname_l, fun() -> inet:sockname(L) end)),
    C2 = ok(c(connect2, fun() -> connect(Ctx, c, Addr, [binary, {active, false}]) end)),
    A2 = ok(c(accept2, fun() -> gen_tcp:accept(L, ?T) end)),
    setopts(a2_passive, A2, [{active, false}, {show_econnreset, false}]),
    setopts(linger0_2, C2, [{linger, {true, 0}}]),
    c(close_c2, fun() -> gen_tcp:close(C2) end),
    recv(recv_reset_hidden, A2, 0, ?T),
    %% Passive, with show_econnreset.
    C3 = ok(c(connect3, fun() -> connect(Ctx, c, Addr, [binary, {active, false}]) end)),
    A3 = ok(c(accept3, fun() -> gen_tcp:accept(L, ?T) end)),
    setopts(a3_passive, A3, [{active, false}]),
    setopts(linger0_3, C3, [{linger, {true, 0}}]),
    c(close_c3, fun() -> gen_tcp:close(C3) end),
    recv(recv_reset_shown, A3, 0, ?T),
    recv(recv_after_reset, A3, 0, 100),
    m(none, 0).

%%====================================================================
%% TCP scenarios: owners
%%====================================================================

sc_non_owner(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, false}], [binary, {active, false}]),
    Ag = agent(),
    a(send_by_non_owner, Ag, fun() -> gen_tcp:send(C, "from agent") end),
    a(recv_by_non_owner, Ag, fun() -> gen_tcp:recv(A, 0, ?T) end),
    a(getopts_by_non_owner, Ag, fun() -> inet:getopts(A, [active]) end),
    a(setopts_by_non_owner, Ag, fun() -> inet:setopts(A, [{active, once}]) end),
    send(send, C, "to owner"),
    m(owner_gets, 1),
    am(agent_gets, Ag, 0),
    a(sockname_by_non_owner, Ag, fun() -> inet:sockname(A) end),
    a(cp_by_non_owner, Ag, fun() -> gen_tcp:controlling_process(A, self()) end),
    a(close_by_non_owner, Ag, fun() -> gen_tcp:close(C) end),
    setopts(active, A, [{active, true}]),
    m(closed, 1),
    send(send_after_non_owner_close, C, "x").

sc_controlling_process(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, true}], [binary, {active, false}]),
    Ag = agent(),
    c(cp_to_owner, fun() -> gen_tcp:controlling_process(A, self()) end),
    c(cp_to_agent, fun() -> gen_tcp:controlling_process(A, Ag) end),
    c(cp_again_by_old_owner, fun() -> gen_tcp:controlling_process(A, self()) end),
    send(send, C, "to new owner"),
    am(agent_gets, Ag, 1),
    m(old_owner_gets, 0),
    a(cp_back, Ag, fun() -> gen_tcp:controlling_process(A, Ag) end),
    {Dead, DeadMon} = spawn_monitor(fun() -> ok end),
    receive {'DOWN', DeadMon, process, Dead, _} -> ok end,
    a(cp_to_dead, Ag, fun() -> gen_tcp:controlling_process(A, Dead) end),
    a(cp_to_non_pid, Ag, fun() -> catch gen_tcp:controlling_process(A, self) end),
    a(getopts_after, Ag, fun() -> inet:getopts(A, [active]) end),
    send(send2, C, "after"),
    am(agent_gets2, Ag, 1),
    m(none, 0).

%% Messages already delivered to the old owner move with the socket (BEAM:
%% not once it has seen tcp_closed).
sc_cp_pending(Ctx) ->
    {L, C, A} = setup(Ctx, [binary, {active, true}], [binary, {active, false}]),
    Ag = agent(),
    send(send1, C, "pending"),
    _ = await_queued(fun(M) -> element(1, M) =:= tcp end),
    send(send2, C, "pending too"),
    _ = await_queued(fun(M) -> M =:= {tcp, A, <<"pending too">>} end),
    c(cp, fun() -> gen_tcp:controlling_process(A, Ag) end),
    m(left_with_old_owner, 0),
    am(moved_to_new_owner, Ag, 2),
    send(send3, C, "after"),
    am(new_owner_gets, Ag, 1),
    a(cp_back, Ag, fun() -> gen_tcp:controlling_process(A, Ag) end),
    send(send4, C, "last"),
    c(close_c, fun() -> gen_tcp:close(C) end),
    _ = ado(Ag, fun() -> await_queued(fun(M) -> element(1, M) =:= tcp_closed end) end),
    Self = self(),
    a(cp_after_closed, Ag, fun() -> gen_tcp:controlling_process(A, Self) end),
    am(left_with_agent, Ag, 2),
    m(moved_back, 0),
    %% With exit_on_close false the socket outlives the peer's close: a
    %% pending tcp_closed moves too.
    {ok, Addr} = inet:sockname(L),
    C2 = ok(c(connect2, fun() -> connect(Ctx, c, Addr, [binary, {active, false}]) end)),
    A2 = ok(c(accept2, fun() -> gen_tcp:accept(L, ?T) end)),
    setopts(eoc_false, A2, [{exit_on_close, false}]),
    send(send5, C2, "half"),
    c(close_c2, fun() -> gen_tcp:close(C2) end),
    _ = await_queued(fun(M) -> M =:= {tcp_closed, A2} end),
    c(cp_half_closed, fun() -> gen_tcp:controlling_process(A2, Ag) end),
    m(left_with_old_owner2, 0),
    am(moved_to_agent2, Ag, 2),
    a(send_half_closed, Ag, fun() -> gen_tcp:send(A2, "still open") end).

sc_cp_remote(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, true}], [binary, {active, false}]),
    R = agent(maps:get(pnode, Ctx)),
    c(cp_to_remote, fun() -> gen_tcp:controlling_process(A, R) end),
    send(send, C, "to remote owner?"),
    m(local_gets, 0),
    am(remote_gets, R, 0).

sc_owner_death(Ctx) ->
    L = ok(c(listen, fun() -> listen(Ctx, s, [binary, {active, true}]) end)),
    Addr = ok(c(sockname_l, fun() -> inet:sockname(L) end)),
    Ag = agent(),
    C = ok(a(connect_by_agent, Ag, fun() -> connect(Ctx, c, Addr, [binary]) end)),
    _A = ok(c(accept, fun() -> gen_tcp:accept(L, ?T) end)),
    a(send_by_owner, Ag, fun() -> gen_tcp:send(C, "alive") end),
    m(data, 1),
    c(kill_owner, fun() -> kill(Ag) end),
    m(closed, 1),
    send(send_after_owner_death, C, "x"),
    c(close_after_owner_death, fun() -> gen_tcp:close(C) end),
    %% A listener whose owner dies.
    Ag2 = agent(),
    L2 = ok(a(listen_by_agent, Ag2, fun() -> listen(Ctx, c, [binary]) end)),
    Addr2 = ok(c(sockname_l2, fun() -> inet:sockname(L2) end)),
    c(kill_listener_owner, fun() -> kill(Ag2) end),
    c(connect_to_dead_listener,
      fun() -> refused(fun() -> connect(Ctx, c, Addr2, [binary]) end) end),
    m(none, 0).

%% A socket closed because its owner (or the owner's node) went away may
%% close a little later where the owner's end is not the host's: connect
%% until refused (5 s at most), the last result.
refused(Connect) -> refused(Connect, 50).
refused(Connect, N) ->
    case Connect() of
        {ok, S} when N > 1 ->
            _ = gen_tcp:close(S),
            timer:sleep(100),
            refused(Connect, N - 1);
        Other -> Other
    end.

%%====================================================================
%% TCP scenarios: sockets of processes on another node
%%====================================================================

%% A process on the peer node opens the client socket (role c); the
%% listener and the accepted socket are here.
sc_remote_owner(Ctx) ->
    L = ok(c(listen, fun() -> listen(Ctx, s, [binary, {active, true}]) end)),
    Addr = ok(c(sockname_l, fun() -> inet:sockname(L) end)),
    R = agent(maps:get(pnode, Ctx)),
    C = ok(a(remote_connect, R, fun() -> connect(Ctx, c, Addr, [binary, {active, true}]) end)),
    A = ok(c(accept, fun() -> gen_tcp:accept(L, ?T) end)),
    a(remote_sockname, R, fun() -> inet:sockname(C) end),
    a(remote_send, R, fun() -> gen_tcp:send(C, "from the peer") end),
    m(data, 1),
    send(send_to_remote, A, "to the peer"),
    am(remote_gets, R, 1),
    a(remote_setopts, R, fun() -> inet:setopts(C, [{active, false}]) end),
    send(send_to_remote2, A, "passive"),
    a(remote_recv, R, fun() -> gen_tcp:recv(C, 0, ?T) end),
    a(remote_getstat, R, fun() -> inet:getstat(C, [send_oct, recv_oct]) end),
    a(remote_close, R, fun() -> gen_tcp:close(C) end),
    m(closed, 1),
    am(remote_none, R, 0).

%% The node of a socket's owner goes down: the socket closes, the peer sees
%% it closed, and a listener of that node is gone.
sc_owner_node_down(Ctx) ->
    {ok, Peer, P} = start_peer(maps:get(jnode, Ctx), []),
    try
        L = ok(c(listen, fun() -> listen(Ctx, s, [binary, {active, true}]) end)),
        Addr = ok(c(sockname_l, fun() -> inet:sockname(L) end)),
        R = agent(P),
        C = ok(a(remote_connect, R, fun() -> connect(Ctx, c, Addr, [binary]) end)),
        _A = ok(c(accept, fun() -> gen_tcp:accept(L, ?T) end)),
        L2 = ok(a(remote_listen, R, fun() -> listen(Ctx, c, [binary]) end)),
        Addr2 = ok(a(remote_sockname_l2, R, fun() -> inet:sockname(L2) end)),
        a(remote_send, R, fun() -> gen_tcp:send(C, "last words") end),
        m(data, 1),
        c(stop_node, fun() -> peer:stop(Peer) end),
        m(closed, 1),
        c(connect_to_gone_listener,
          fun() -> refused(fun() -> connect(Ctx#{roles => #{c => beam}}, c,
                                            Addr2, [])
                           end)
          end),
        m(none, 0)
    after
        catch peer:stop(Peer)
    end.

%%====================================================================
%% TCP scenarios: errors
%%====================================================================

sc_econnrefused(Ctx) ->
    L = ok(c(listen, fun() -> listen(Ctx, s, []) end)),
    Addr = ok(c(sockname, fun() -> inet:sockname(L) end)),
    c(close, fun() -> gen_tcp:close(L) end),
    c(connect_refused, fun() -> connect(Ctx, c, Addr, []) end),
    c(connect_refused_no_timeout,
      fun() -> {A, P} = Addr, gen_tcp:connect(A, P, o(Ctx, c)) end),
    m(none, 0).

sc_eaddrinuse(Ctx) ->
    L = ok(c(listen, fun() -> listen(Ctx, s, []) end)),
    {Ip, Port} = ok(c(sockname, fun() -> inet:sockname(L) end)),
    c(listen_same_port, fun() -> gen_tcp:listen(Port, o(Ctx, c) ++ [{ip, Ip}]) end),
    c(listen_same_port_reuseaddr,
      fun() -> gen_tcp:listen(Port, o(Ctx, c) ++ [{ip, Ip}, {reuseaddr, true}]) end),
    C = ok(c(connect, fun() -> connect(Ctx, c, {Ip, Port}, []) end)),
    {_, CPort} = ok(c(sockname_c, fun() -> inet:sockname(C) end)),
    c(connect_from_used_port,
      fun() -> gen_tcp:connect(Ip, Port, o(Ctx, c) ++ [{port, CPort}], ?T) end),
    c(listen_on_used_client_port,
      fun() -> gen_tcp:listen(CPort, o(Ctx, c) ++ [{ip, Ip}]) end),
    m(none, 0).

sc_eaddrnotavail(Ctx) ->
    c(listen_foreign_ip, fun() -> gen_tcp:listen(0, o(Ctx, s) ++ [{ip, {192, 0, 2, 1}}]) end),
    L = ok(c(listen, fun() -> listen(Ctx, s, []) end)),
    Addr = ok(c(sockname, fun() -> inet:sockname(L) end)),
    {Ip, Port} = Addr,
    c(connect_from_foreign_ip,
      fun() -> gen_tcp:connect(Ip, Port, o(Ctx, c) ++ [{ip, {192, 0, 2, 1}}], ?T) end),
    m(none, 0).

sc_einval_enotconn(Ctx) ->
    {L, C, _A} = setup(Ctx, [binary, {active, false}], [binary, {active, false}]),
    c(peername_listener, fun() -> inet:peername(L) end),
    c(recv_listener, fun() -> gen_tcp:recv(L, 0, 100) end),
    c(send_listener, fun() -> gen_tcp:send(L, "x") end),
    c(accept_on_connected, fun() -> gen_tcp:accept(C, 100) end),
    c(shutdown_listener, fun() -> gen_tcp:shutdown(L, read) end),
    setopts(bad_active, C, [{active, 99999}]),
    setopts(bad_opt, C, [{no_such_option, 1}]),
    setopts(bad_value, C, [{nodelay, maybe}]),
    setopts(not_a_list, C, {active, true}),
    getopts(bad_getopt, C, [no_such_option]),
    getopts(mixed_getopt, C, [active, no_such_option]),
    c(getstat_bad, fun() -> inet:getstat(C, [no_such_stat]) end),
    c(connect_port_0, fun() -> {Ip, _} = ok(inet:sockname(L)),
                                gen_tcp:connect(Ip, 0, o(Ctx, c), ?T) end),
    m(none, 0).

sc_timeout(Ctx) ->
    {L, _C, A} = setup(Ctx, [binary, {active, false}], [binary, {active, false}]),
    c(accept_timeout, fun() -> gen_tcp:accept(L, 200) end),
    c(accept_timeout_0, fun() -> gen_tcp:accept(L, 0) end),
    recv(recv_timeout, A, 0, 200),
    c(send_timeout_opt, fun() -> inet:setopts(A, [{send_timeout, 100}]) end),
    getopts(send_timeout, A, [send_timeout, send_timeout_close]),
    m(none, 0).

sc_nxdomain(Ctx) ->
    c(connect_nxdomain, fun() -> gen_tcp:connect(?BADHOST, 80, o(Ctx, c), ?T) end),
    c(connect_nxdomain_no_timeout, fun() -> gen_tcp:connect(?BADHOST, 80, o(Ctx, c)) end),
    c(listen_nxdomain, fun() -> gen_tcp:listen(0, o(Ctx, s) ++ [{ip, ?BADHOST}]) end),
    m(none, 0).

sc_badarg(Ctx) ->
    L = ok(c(listen, fun() -> listen(Ctx, s, []) end)),
    {Ip, Port} = ok(c(sockname, fun() -> inet:sockname(L) end)),
    c(connect_bad_active, fun() -> gen_tcp:connect(Ip, Port, o(Ctx, c) ++ [{active, bogus}], ?T) end),
    c(connect_bad_option, fun() -> gen_tcp:connect(Ip, Port, o(Ctx, c) ++ [{no_such_option, 1}], ?T) end),
    c(connect_bad_port, fun() -> gen_tcp:connect(Ip, -1, o(Ctx, c), ?T) end),
    c(connect_big_port, fun() -> gen_tcp:connect(Ip, 70000, o(Ctx, c), ?T) end),
    c(connect_bad_address, fun() -> gen_tcp:connect({1, 2, 3}, Port, o(Ctx, c), ?T) end),
    c(connect_bad_timeout, fun() -> gen_tcp:connect(Ip, Port, o(Ctx, c), -1) end),
    c(connect_not_list, fun() -> gen_tcp:connect(Ip, Port, {opts, o(Ctx, c)}, ?T) end),
    c(listen_bad_option, fun() -> gen_tcp:listen(0, o(Ctx, s) ++ [{no_such_option, 1}]) end),
    c(listen_bad_active, fun() -> gen_tcp:listen(0, o(Ctx, s) ++ [{active, bogus}]) end),
    c(listen_bad_port, fun() -> gen_tcp:listen(-1, o(Ctx, s)) end),
    c(listen_bad_backlog, fun() -> gen_tcp:listen(0, o(Ctx, s) ++ [{backlog, many}]) end),
    C = ok(c(connect, fun() -> connect(Ctx, c, {Ip, Port}, [binary]) end)),
    send(send_atom, C, not_iodata),
    send(send_bad_list, C, [1000]),
    send(send_improper, C, [$a | $b]),
    c(controlling_process_not_pid, fun() -> gen_tcp:controlling_process(C, not_a_pid) end),
    m(none, 0).

sc_local_errors(Ctx) ->
    L = ok(c(listen, fun() -> listen(Ctx, s, []) end)),
    {ok, {local, Path}} = c(sockname, fun() -> inet:sockname(L) end),
    c(listen_same_path, fun() -> gen_tcp:listen(0, o(Ctx, s) ++ [{ifaddr, {local, Path}}]) end),
    c(close, fun() -> gen_tcp:close(L) end),
    c(connect_closed_path, fun() -> gen_tcp:connect({local, Path}, 0, o(Ctx, c), ?T) end),
    Missing = new_path(Ctx),
    c(connect_missing_path, fun() -> gen_tcp:connect({local, Missing}, 0, o(Ctx, c), ?T) end),
    c(listen_missing_dir, fun() -> gen_tcp:listen(0, o(Ctx, s) ++ [{ifaddr, {local, Missing ++ "/x/y"}}]) end),
    m(none, 0).

%%====================================================================
%% TCP scenarios: options and statistics
%%====================================================================

-define(TCP_OPTS,
        [active, mode, reuseaddr, nodelay, keepalive, exit_on_close,
         show_econnreset, send_timeout, send_timeout_close, buffer, recbuf,
         sndbuf, packet, packet_size, header, delay_send, linger, deliver,
         high_watermark, low_watermark, high_msgq_watermark,
         low_msgq_watermark, priority, tos, dontroute, broadcast,
         ipv6_v6only, line_delimiter]).

sc_getopts(Ctx) ->
    {L, C, A} = setup(Ctx, [], []),
    [c({getopt, Who, Opt}, fun() -> inet:getopts(S, [Opt]) end)
     || {Who, S} <- [{listener, L}, {client, C}, {accepted, A}],
        Opt <- ?TCP_OPTS],
    getopts(getopts_required, C, [active, mode, reuseaddr, nodelay, keepalive,
                                  exit_on_close, show_econnreset, send_timeout,
                                  buffer, recbuf, sndbuf]),
    getopts(getopts_unknown_mixed, C, [active, nonsense, mode]).

sc_setopts(Ctx) ->
    {L, C, _A} = setup(Ctx, [binary, {active, false}, {reuseaddr, true}], []),
    Set = [{nodelay, true}, {keepalive, true}, {send_timeout, 5000},
           {send_timeout_close, true}, {exit_on_close, false},
           {show_econnreset, true}, {reuseaddr, true}, {buffer, 4096},
           {recbuf, 65536}, {sndbuf, 65536}, {mode, list}, {active, once},
           {linger, {true, 5}}, {delay_send, true}, {packet, raw},
           {high_watermark, 16384}, {low_watermark, 8192}],
    setopts(setopts_all, C, Set),
    getopts(getopts_all, C, [K || {K, _} <- Set]),
    [c({setopt, K, V}, fun() -> {inet:setopts(C, [{K, V}]),
                                 inet:getopts(C, [K])} end)
     || {K, V} <- [{nodelay, false}, {keepalive, false},
                   {send_timeout, infinity}, {buffer, 1500},
                   {recbuf, 4096}, {sndbuf, 4096}, {recbuf, 1},
                   {sndbuf, 1000000000}, {buffer, 0}, {exit_on_close, true},
                   {show_econnreset, false}, {active, 7}]],
    getopts(getopts_listener, L, [reuseaddr, active, mode]),
    setopts(setopts_listener, L, [{reuseaddr, false}]),
    getopts(getopts_listener2, L, [reuseaddr]).

sc_getstat(Ctx) ->
    {L, C, A} = setup(Ctx, [binary, {active, false}], [binary, {active, false}]),
    send(send10, C, binary:copy(<<"a">>, 10)),
    recv(recv10, A, 10, ?T),
    send(send20, C, binary:copy(<<"b">>, 20)),
    recv(recv20, A, 20, ?T),
    send(send5, A, <<"12345">>),
    recv(recv5, C, 5, ?T),
    Keys = [recv_cnt, recv_max, recv_avg, recv_oct, send_cnt, send_max,
            send_avg, send_oct, send_pend],
    [c({getstat, Who}, fun() -> inet:getstat(S, Keys) end)
     || {Who, S} <- [{client, C}, {accepted, A}, {listener, L}]],
    c(getstat_all_keys, fun() -> {ok, Stat} = inet:getstat(C),
                                 lists:sort([K || {K, _} <- Stat]) end),
    c(getstat_dvi, fun() -> inet:getstat(C, [recv_dvi]) end),
    c(getstat_empty, fun() -> inet:getstat(C, []) end).

%%====================================================================
%% TCP: a large transfer
%%====================================================================

%% 100 MiB from the client (role c) to the accepted socket (role s), each
%% 1 MiB chunk numbered; byte count and CRC-32 on both ends.
sc_large(Ctx) ->
    {_L, C, A} = setup(Ctx, [binary, {active, false}], [binary, {active, false}]),
    Sender = agent(),
    c(give_to_sender, fun() -> gen_tcp:controlling_process(C, Sender) end),
    Self = self(),
    Pattern = binary:copy(<<"0123456789abcdef">>, 65536 div 16 * 16),
    Sender ! {do, Self, sent,
              fun() ->
                      R = lists:foldl(
                            fun(I, {ok, N, Crc}) ->
                                    Chunk = <<I:32, Pattern:(1048576 - 4)/binary>>,
                                    case gen_tcp:send(C, Chunk) of
                                        ok -> {ok, N + byte_size(Chunk),
                                               erlang:crc32(Crc, Chunk)};
                                        E -> {E, N, Crc}
                                    end;
                               (_, Err) -> Err
                            end, {ok, 0, erlang:crc32(<<>>)},
                            lists:seq(1, ?LARGE_CHUNKS)),
                      {R, gen_tcp:close(C)}
              end},
    c(received, fun() -> recv_crc(A, 0, erlang:crc32(<<>>)) end),
    c(sent, fun() -> receive {sent, R} -> R after 60000 -> timeout end end),
    c(getstat, fun() -> inet:getstat(A, [recv_oct]) end).

recv_crc(S, N, Crc) ->
    case gen_tcp:recv(S, 0, 30000) of
        {ok, D} -> recv_crc(S, N + byte_size(D), erlang:crc32(Crc, D));
        Other -> {Other, N, Crc}
    end.

%%====================================================================
%% UDP scenarios
%%====================================================================

udp_open(Ctx, Role, Opts) ->
    gen_udp:open(0, o(Ctx, Role) ++ bind_opts(Ctx) ++ Opts).

%% Two sockets: S (role s) and C (role c), and their addresses.
udp_pair(Ctx, SOpts, COpts) ->
    S = ok(c(open_s, fun() -> udp_open(Ctx, s, SOpts) end)),
    C = ok(c(open_c, fun() -> udp_open(Ctx, c, COpts) end)),
    SA = ok(c(sockname_s, fun() -> inet:sockname(S) end)),
    CA = ok(c(sockname_c, fun() -> inet:sockname(C) end)),
    {S, C, SA, CA}.

usend(Step, S, {local, _} = Addr, Data) ->
    c(Step, fun() -> gen_udp:send(S, Addr, 0, Data) end);
usend(Step, S, {Addr, Port}, Data) ->
    c(Step, fun() -> gen_udp:send(S, Addr, Port, Data) end).

sc_udp_active(Ctx) ->
    {S, C, SA, CA} = udp_pair(Ctx, [binary, {active, true}], [binary, {active, false}]),
    usend(send1, C, SA, "hello"),
    m(msg1, 1),
    c(send_tuple_form, fun() -> gen_udp:send(C, SA, <<"tuple">>) end),
    m(msg2, 1),
    usend(send_iolist, C, SA, ["io", [$l], <<"ist">>]),
    m(msg3, 1),
    usend(send_empty, C, SA, <<>>),
    m(msg_empty, 1),
    setopts(list, S, [list]),
    usend(send_list_mode, C, SA, <<"as list">>),
    m(msg_list, 1),
    usend(send_back, S, CA, "back"),
    c(recv_back, fun() -> gen_udp:recv(C, 0, ?T) end),
    usend(send_big, C, SA, binary:copy(<<"z">>, 30000)),
    c(big_size, fun() -> receive {udp, _, _, _, D} -> iolist_size(D) after ?T -> none end end),
    c(close_s, fun() -> gen_udp:close(S) end),
    m(none, 0).

sc_udp_passive(Ctx) ->
    {S, C, SA, CA} = udp_pair(Ctx, [binary, {active, false}], [binary, {active, false}]),
    c(recv_timeout, fun() -> gen_udp:recv(S, 0, 200) end),
    usend(send1, C, SA, "one"),
    usend(send2, C, SA, "two"),
    c(recv1, fun() -> gen_udp:recv(S, 0, ?T) end),
    c(recv2_length_ignored, fun() -> gen_udp:recv(S, 1, ?T) end),
    usend(send3, C, SA, "three"),
    c(recv3_no_timeout, fun() -> gen_udp:recv(S, 0) end),
    setopts(list, S, [list]),
    usend(send4, C, SA, <<"four">>),
    c(recv_list, fun() -> gen_udp:recv(S, 0, ?T) end),
    usend(send_back, S, CA, "back"),
    c(recv_back, fun() -> gen_udp:recv(C, 0, ?T) end),
    setopts(active, S, [{active, true}]),
    c(recv_on_active, fun() -> gen_udp:recv(S, 0, 100) end),
    m(none, 0).

sc_udp_once_n(Ctx) ->
    {S, C, SA, _CA} = udp_pair(Ctx, [binary, {active, once}], [binary, {active, false}]),
    usend(send1, C, SA, "a"),
    m(msg1, 1),
    getopts(getopts1, S, [active]),
    usend(send2, C, SA, "b"),
    settle(),
    m(none_while_passive, 0),
    setopts(active2, S, [{active, 2}]),
    m(pending_msg, 1),
    getopts(getopts2, S, [active]),
    usend(send3, C, SA, "c"),
    m(msg_and_passive, 2),
    getopts(getopts3, S, [active]),
    setopts(add, S, [{active, 3}]),
    setopts(add2, S, [{active, 2}]),
    getopts(getopts4, S, [active]),
    setopts(sub, S, [{active, -10}]),
    m(passive_below_zero, 1),
    setopts(range, S, [{active, 32768}]),
    setopts(zero, S, [{active, 0}]),
    m(zero_msgs, 1),
    m(none, 0).

sc_udp_connect(Ctx) ->
    {S, C, SA, CA} = udp_pair(Ctx, [binary, {active, true}], [binary, {active, false}]),
    {Addr, Port} = SA,
    c(connect, fun() -> gen_udp:connect(C, Addr, Port) end),
    c(peername, fun() -> inet:peername(C) end),
    c(send_connected, fun() -> gen_udp:send(C, <<"connected">>) end),
    m(msg, 1),
    c(peername_unconnected, fun() -> inet:peername(S) end),
    c(send_unconnected_no_addr, fun() -> gen_udp:send(S, <<"x">>) end),
    usend(send_back, S, CA, "back"),
    c(recv_back, fun() -> gen_udp:recv(C, 0, ?T) end),
    m(none, 0).

sc_udp_errors(Ctx) ->
    {S, C, SA, _CA} = udp_pair(Ctx, [binary, {active, false}], [binary]),
    {Ip, Port} = SA,
    c(open_same_port, fun() -> gen_udp:open(Port, o(Ctx, c) ++ [{ip, Ip}]) end),
    c(open_foreign_ip, fun() -> gen_udp:open(0, o(Ctx, c) ++ [{ip, {192, 0, 2, 1}}]) end),
    c(open_bad_option, fun() -> gen_udp:open(0, o(Ctx, c) ++ [{no_such_option, 1}]) end),
    c(open_bad_active, fun() -> gen_udp:open(0, o(Ctx, c) ++ [{active, bogus}]) end),
    c(open_bad_port, fun() -> gen_udp:open(-1, o(Ctx, c)) end),
    c(send_nxdomain, fun() -> gen_udp:send(C, ?BADHOST, 9, <<"x">>) end),
    c(send_bad_port, fun() -> gen_udp:send(C, Ip, -1, <<"x">>) end),
    c(send_port_0, fun() -> gen_udp:send(C, Ip, 0, <<"x">>) end),
    c(send_bad_data, fun() -> gen_udp:send(C, Ip, Port, not_iodata) end),
    c(send_bad_address, fun() -> gen_udp:send(C, {1, 2, 3}, Port, <<"x">>) end),
    c(recv_timeout, fun() -> gen_udp:recv(S, 0, 100) end),
    c(recv_bad_timeout, fun() -> gen_udp:recv(S, 0, soon) end),
    setopts(bad_active, S, [{active, 99999}]),
    setopts(bad_opt, S, [{no_such_option, 1}]),
    c(peername_unconnected, fun() -> inet:peername(S) end),
    m(none, 0).

sc_udp_after_close(Ctx) ->
    {S, C, SA, _CA} = udp_pair(Ctx, [binary, {active, true}], [binary]),
    c(close, fun() -> gen_udp:close(S) end),
    usend(send_to_closed_peer, C, SA, "x"),
    {Addr, Port} = SA,
    c(send, fun() -> gen_udp:send(S, Addr, Port, <<"x">>) end),
    c(recv, fun() -> gen_udp:recv(S, 0, 100) end),
    setopts(setopts, S, [{active, true}]),
    getopts(getopts, S, [active]),
    c(sockname, fun() -> inet:sockname(S) end),
    c(port, fun() -> inet:port(S) end),
    c(getstat, fun() -> inet:getstat(S) end),
    c(controlling_process, fun() -> gen_udp:controlling_process(S, self()) end),
    c(close_again, fun() -> gen_udp:close(S) end),
    m(none, 0).

-define(UDP_OPTS,
        [active, mode, reuseaddr, buffer, recbuf, sndbuf, header, deliver,
         broadcast, dontroute, priority, tos, ttl, multicast_ttl,
         multicast_loop, read_packets, recvtos, recvttl, ipv6_v6only,
         high_msgq_watermark, low_msgq_watermark]).

sc_udp_opts_stats(Ctx) ->
    {S, C, SA, _CA} = udp_pair(Ctx, [binary, {active, false}], [binary, {active, false}]),
    [c({getopt, Opt}, fun() -> inet:getopts(S, [Opt]) end) || Opt <- ?UDP_OPTS],
    getopts(getopts_required, S, [active, mode, reuseaddr, buffer, recbuf, sndbuf]),
    setopts(setopts, S, [{recbuf, 65536}, {sndbuf, 65536}, {buffer, 4096},
                         {broadcast, true}, {reuseaddr, true}]),
    getopts(getopts_after, S, [recbuf, sndbuf, buffer, broadcast, reuseaddr]),
    usend(send1, C, SA, binary:copy(<<"a">>, 10)),
    usend(send2, C, SA, binary:copy(<<"b">>, 20)),
    c(recv1, fun() -> gen_udp:recv(S, 0, ?T) end),
    c(recv2, fun() -> gen_udp:recv(S, 0, ?T) end),
    Keys = [recv_cnt, recv_max, recv_avg, recv_oct, send_cnt, send_max,
            send_avg, send_oct],
    c(getstat_s, fun() -> inet:getstat(S, Keys) end),
    c(getstat_c, fun() -> inet:getstat(C, Keys) end).

%%====================================================================
%% inet:i()
%%====================================================================

%% A listener with a connection on it (role s), the client socket (role c),
%% a UDP socket of each; inet:i() on the node hosting each role, its lines
%% for these sockets compared after label replacement.
sc_inet_i(Ctx) ->
    {L, C, A} = setup(Ctx, [binary, {active, false}], [binary, {active, false}]),
    send(send, C, <<"twelve bytes">>),
    recv(recv, A, 12, ?T),
    send(send_back, A, <<"four">>),
    recv(recv_back, C, 4, ?T),
    UCtx = Ctx#{proto => udp},
    US = ok(c(udp_open_s, fun() -> udp_open(UCtx, s, [binary]) end)),
    UC = ok(c(udp_open_c, fun() -> udp_open(UCtx, c, [binary]) end)),
    Ports = fun(Ss) -> [P || S <- Ss, {ok, {_, P}} <- [inet:sockname(S)]] end,
    c(i_s, fun() -> i_rows(Ctx, s, [Ports([L]), Ports([US])]) end),
    c(i_c, fun() -> i_rows(Ctx, c, [Ports([C]), Ports([UC])]) end).

%% inet:i()'s output where the sockets of Role live, captured through a
%% group leader: the header lines and the lines whose local port is one of
%% this role's (Ports: [TCP ports, UDP ports], for the tables one after the
%% other), split into fields by the header's columns.
i_rows(Ctx, Role, Ports) ->
    Text = case {side(Ctx, Role), maps:get(mode, Ctx)} of
               {test, jinet} ->
                   capture(fun() -> rpc:call(maps:get(jnode, Ctx), inet, i,
                                             [], ?T) end);
               _ ->
                   capture(fun() -> inet:i() end)
           end,
    Lines = string:split(Text, "\n", all),
    label_columns(parse_i(Lines, none, [[] | Ports], [])).

%% The socket, module and owner columns' texts as labels, in order of first
%% appearance within this output.
label_columns(Rows) ->
    {Out, _} = lists:mapfoldl(
                 fun({row, Fs}, S0) ->
                         {Fs1, S1} = lists:mapfoldl(fun col_label/2, S0, Fs),
                         {{row, Fs1}, S1};
                    (Other, S0) ->
                         {Other, S0}
                 end, #{}, Rows),
    Out.

col_label({K, Text}, S) when K =:= port_column; K =:= module_column;
                             K =:= owner_column ->
    case S of
        #{{K, Text} := N} -> {{K, N}, S};
        _ ->
            N = maps:get(K, S, 0) + 1,
            {{K, N}, S#{K => N, {K, Text} => N}}
    end;
col_label(F, S) ->
    {F, S}.

parse_i([], _Cols, _Ports, Acc) ->
    lists:reverse(Acc);
parse_i([Line | Rest], Cols, Ports, Acc) ->
    case lists:prefix("Port ", Line) of
        true ->
            Cols1 = columns(Line),
            Ports1 = case Ports of
                         [_, Next | More] -> [Next | More];
                         _ -> [[]]
                     end,
            parse_i(Rest, Cols1, Ports1, [{header, fields(Line, Cols1)} | Acc]);
        false when Cols =:= none; Line =:= "" ->
            parse_i(Rest, Cols, Ports, Acc);
        false ->
            Fs = fields(Line, Cols),
            Row = [i_field(K, F) || {{K, _}, F} <- lists:zip(Cols, Fs)],
            case lists:keyfind('Local Address', 1, Row) of
                {_, {addr, _, P}} ->
                    case lists:member(P, hd(Ports)) of
                        true -> parse_i(Rest, Cols, Ports, [{row, Row} | Acc]);
                        false -> parse_i(Rest, Cols, Ports, Acc)
                    end;
                _ -> parse_i(Rest, Cols, Ports, Acc)
            end
    end.

%% [{Name, Start}] of the header's columns.
columns(Header) ->
    Names = ["Port", "Module", "Recv", "Sent", "Owner", "Local Address",
             "Foreign Address", "State", "Type"],
    [{list_to_atom(N), string:str(Header, N) - 1} || N <- Names,
                                                      string:str(Header, N) > 0].

fields(Line, Cols) ->
    Starts = [S || {_, S} <- Cols],
    Ends = tl(Starts) ++ [length(Line) + 1],
    [string:trim(safe_sub(Line, S, E - S)) || {S, E} <- lists:zip(Starts, Ends)].

safe_sub(Line, S, _Len) when S >= length(Line) -> "";
safe_sub(Line, S, Len) -> lists:sublist(Line, S + 1, Len).

%% A field as a term: sockets, owners and modules become labels in the
%% step's own order (their text differs between nodes and backends),
%% addresses {addr, Host, Port} (ports then labelled like any other).
i_field('Port', F) -> {port_column, F};
i_field('Module', F) -> {module_column, F};
i_field('Owner', F) -> {owner_column, F};
i_field(K, F) when K =:= 'Local Address'; K =:= 'Foreign Address' ->
    {K, i_addr(F)};
i_field(K, F) -> {K, F}.

i_addr("local:" ++ Path) -> {local, Path};
i_addr(F) ->
    case string:split(F, ":", trailing) of
        [Host, PortText] ->
            case string:to_integer(PortText) of
                {P, ""} -> {addr, Host, P};
                _ ->
                    case inet:getservbyname(list_to_atom(PortText), tcp) of
                        {ok, P} -> {addr, Host, P};
                        _ -> F
                    end
            end;
        _ -> F
    end.

capture(F) ->
    GL = spawn(fun() -> gl_loop([]) end),
    Old = group_leader(),
    group_leader(GL, self()),
    R = try F() after group_leader(Old, self()) end,
    Ref = make_ref(),
    GL ! {get, self(), Ref},
    receive
        {Ref, Text} ->
            case R of
                ok -> Text;
                Other -> lists:flatten(io_lib:format("call returned ~tp~n~ts",
                                                     [Other, Text]))
            end
    after ?T -> "no output"
    end.

gl_loop(Acc) ->
    receive
        {io_request, From, ReplyAs, Req} ->
            {Reply, Text} = io_req(Req),
            From ! {io_reply, ReplyAs, Reply},
            gl_loop([Text | Acc]);
        {get, From, Ref} ->
            From ! {Ref, unicode:characters_to_list(lists:reverse(Acc))}
    end.

io_req({put_chars, _Enc, Chars}) -> {ok, Chars};
io_req({put_chars, Chars}) -> {ok, Chars};
io_req({put_chars, _Enc, M, F, A}) -> {ok, apply(M, F, A)};
io_req({put_chars, M, F, A}) -> {ok, apply(M, F, A)};
io_req({requests, Reqs}) ->
    lists:foldl(fun(R, {_, T}) -> {Rep, T1} = io_req(R), {Rep, [T, T1]} end,
                {ok, []}, Reqs);
io_req(_) -> {{error, enotsup}, []}.
