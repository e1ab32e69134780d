%% Support module for the jinet interop suites: starting/stopping a jinet node
%% and its BEAM oracle, making the same call on both through the same call
%% path, comparing the answers, keeping counts, reporting mismatches, and
%% generating inputs.
%%
%% The oracle. Every expected answer is what a BEAM peer node (the suite's
%% oracle, oracle_start/1; suite_start/2 starts one) answers to the same call
%% made the same way: rpc:block_call, rpc:call or erpc:call to the oracle,
%% then to the node under test. Nothing is evaluated here and put into a
%% path's shape by hand.
%%
%% Shapes. A call path's answers are what the caller gets (rpc:block_call and
%% rpc:call: V, {badrpc,{'EXIT',{R,St}}}, {badrpc,{'EXIT',R}}, ...); erpc's
%% exceptions are turned into the same shapes, on both sides alike (remote/4),
%% or kept as {Class, Reason} (remote_erpc/5). Two answers are the same when
%% they are equal after canon/1, which replaces the stack of an error (a
%% non-empty list of stack frames) by '$stack': the jinet node's stack is
%% [{M,F,Args,[]}], never BEAM's, so only the error reason is compared.
%%
%% Environment variables read here:
%%   JINET_HOME     repository root (holds bin/jinet); else derived from this
%%                  file's location or from the suite's data_dir
%%   JINET_NODE     use this already running node; start nothing
%%   JINET_STANDIN  "beam": start a BEAM peer instead of bin/jinet (to check
%%                  the suites' plumbing; every comparison must then agree)
%%   JINET_SEED     integer seed for the random inputs (default: from the clock)
-module(jinet_diff).

%% Nodes
-export([wrapper_script/1]).
-export([suite_start/2, suite_end/3, tail/1]).
-export([start_node/0, start_node/1, stop_node/1, root/0, root/1,
         manual_path/1]).
%% Evaluation and comparison
-export([oracle_start/1, oracle_stop/1, oracle/0,
         remote/4, transport/1, canon/1, same/2, is_stacktrace/1,
         compare/3, compare/4, report/2, format_mismatch/2, log/2]).
%% Counts
-export([stats_start/0, stats_stop/0, record/3, summary/0,
         format_summary/1]).
%% Seeds and inputs
-export([seed/0, seed_process/2,
         parse_edge_strings/0, parse_non_strings/0, random_address_string/0,
         random_parse_input/0, parse_inputs/1,
         random_ip_tuple/0, ntoa_inputs/1, mapped_inputs/1,
         format_error_inputs/1, manual_posix_atoms/1, fallback_posix_atoms/0,
         random_call/0]).
%% Scenarios run on a BEAM node and on jinet, compared structurally
-export([verdict/3, canon_pair/4]).
%% Small process helpers the suites share
-export([parallel/1, receive_all/1, flush/0]).
%% Other call paths' shapes (rpc:call, erpc), fresh counts, wide tables
-export([remote_erpc/5, erpc_outcome/1,
         canon_erpc/1, same_erpc/2, compare_erpc/4, stats_restart/0,
         stats_stop_sync/0, format_summary/2]).
%% Pairs of nodes started alike (a BEAM oracle and the node under test),
%% compared with each other
-export([start_beam/1, start_pair/1, stop_pair/1, remote_calls/2,
         compare_nodes/4, compare_nodes_results/4,
         compare_nodes_results/5, locale_env/1]).

-define(STATS, jinet_diff_stats).
-define(CALL_TIMEOUT, 30000).

-type transport() :: {block_call | call | erpc, node()}
                   | {block_call | call | erpc, node(), timeout()}
                   | fun((module(), atom(), list()) -> term()).
-type mismatch() :: #{mfa := {module(), atom(), list()},
                      beam := term(), jinet := term()}.
-type handle() :: #{node := node(), kind := jinet | beam | external,
                    owner => pid(), os_pid => integer(),
                    stderr_log => file:filename(),
                    stdout_log => file:filename()}.
-export_type([transport/0, mismatch/0, handle/0]).

%%====================================================================
%% Nodes
%%====================================================================

%% Repository root: $JINET_HOME, else the parent of this file's directory
%% (when the file was compiled under an absolute name).
-spec root() -> file:filename() | undefined.
root() ->
    root([]).

%% Same, falling back to the parent of the suite's data_dir (the suites live
%% in <root>/test-interop).
-spec root(list()) -> file:filename() | undefined.
root(Config) ->
    FromFile = case filename:pathtype(?FILE) of
                   absolute -> filename:dirname(filename:dirname(?FILE));
                   _ -> undefined
               end,
    FromData = case proplists:get_value(data_dir, Config) of
                   undefined -> undefined;
                   D -> filename:dirname(filename:dirname(
                                           filename:absname(D)))
               end,
    case [C || C <- [os:getenv("JINET_HOME"), FromFile, FromData],
               is_list(C), C =/= ""] of
        [Root | _] -> Root;
        [] -> undefined
    end.

%% Where the inet manual is expected: <root>/../shared/inet-manual.txt.
-spec manual_path(file:filename() | undefined) -> file:filename() | undefined.
manual_path(undefined) -> undefined;
manual_path(Root) ->
    filename:join(filename:dirname(filename:absname(Root)),
                  "shared/inet-manual.txt").

%% Starts (or finds) the node to test. Options:
%%   root          repository root (default root())
%%   log_dir       where the node's stdout/stderr logs go (default /tmp)
%%   ready_timeout ms to wait for the "ready" line (default 180000)
%%   standin       beam | jinet (default from $JINET_STANDIN, else jinet)
%%   use_env       false to ignore $JINET_NODE (default true)
%%   args          more arguments for bin/jinet (default [])
%%   env           environment for bin/jinet, [{Name, Value}] (default [])
%%   wait_pong     false when this node cannot reach the new one, e.g. because
%%                 it registers with another EPMD or runs TLS distribution
%%                 (default true; a BEAM stand-in honours it too)
%%   wrap          a command line the node's command is appended to, e.g.
%%                 ["unshare", "-m", "sh", "-c", Script, "sh"] (default []:
%%                 none); for bin/jinet and for a BEAM stand-in alike
%%   quiet         true: a BEAM stand-in is hidden and controlled by peer over
%%                 a loopback TCP connection instead of distribution, so it
%%                 makes no connection, and so no name lookup, of its own
%%                 (default false)
%% A BEAM stand-in (standin beam) honours args, env, wrap and quiet too.
-spec start_node() -> {ok, handle()} | {error, term()}.
start_node() ->
    start_node(#{}).

-spec start_node(map()) -> {ok, handle()} | {error, term()}.
start_node(Opts0) ->
    Standin = case os:getenv("JINET_STANDIN") of
                  "beam" -> beam;
                  _ -> jinet
              end,
    Opts = maps:merge(#{root => root(), log_dir => "/tmp",
                        ready_timeout => 180000, standin => Standin,
                        use_env => true, args => [], env => [],
                        wait_pong => true}, Opts0),
    case {maps:get(use_env, Opts), os:getenv("JINET_NODE"), is_alive()} of
        {true, Name, _} when is_list(Name), Name =/= "" ->
            Node = list_to_atom(Name),
            case wait_pong(Node, 10000) of
                ok -> {ok, #{node => Node, kind => external}};
                timeout -> {error, {no_pong, Node}}
            end;
        {_, _, false} ->
            {error, not_distributed};
        _ ->
            start_owned(Opts)
    end.

%% Stops a node started by start_node/0,1 (an external node is left alone).
%% Returns what happened: exit status, and whether epmd still knows the name.
-spec stop_node(handle()) -> {ok, map()}.
stop_node(#{kind := external}) ->
    {ok, #{kind => external}};
stop_node(#{owner := Owner}) ->
    Ref = erlang:monitor(process, Owner),
    Owner ! {stop, self(), Ref},
    receive
        {Ref, Result} ->
            erlang:demonitor(Ref, [flush]),
            {ok, Result};
        {'DOWN', Ref, process, Owner, Reason} ->
            {ok, #{owner_down => Reason}}
    after 60000 ->
            exit(Owner, kill),
            {ok, #{owner => killed_after_timeout}}
    end.

start_owned(Opts) ->
    Parent = self(),
    Ref = make_ref(),
    %% The owner outlives the calling process (CT runs each case and
    %% init_per_suite in a process of its own); it holds the port.
    {Owner, Mon} = spawn_monitor(fun() -> owner_init(Parent, Ref, Opts) end),
    Timeout = maps:get(ready_timeout, Opts) + 60000,
    receive
        {Ref, {ok, Handle}} ->
            erlang:demonitor(Mon, [flush]),
            {ok, Handle#{owner => Owner}};
        {Ref, {error, _} = Error} ->
            erlang:demonitor(Mon, [flush]),
            Error;
        {'DOWN', Mon, process, Owner, Reason} ->
            {error, {owner_died, Reason}}
    after Timeout ->
            %% Killing the owner closes the port; the wrapper's watchdog then
            %% terminates the node.
            exit(Owner, kill),
            {error, start_timeout}
    end.

%% The peer:start/1 options of a BEAM stand-in: with no args, env, wrap or
%% quiet given, what they always were.
peer_options(Name, Cookie, Opts) ->
    Quiet = maps:get(quiet, Opts, false) =:= true,
    Hidden = case Quiet of
                 true -> ["-hidden"];
                 false -> []
             end,
    P0 = #{name => Name,
           args => ["-setcookie", Cookie | Hidden] ++ maps:get(args, Opts, []),
           wait_boot => 60000},
    P1 = case maps:get(env, Opts, []) of
             [] -> P0;
             Env -> P0#{env => Env}
         end,
    P2 = case maps:get(wrap, Opts, []) of
             [] -> P1;
             [Wrapper | WrapArgs] ->
                 P1#{exec => {executable(Wrapper),
                              WrapArgs ++ [erl_executable()]}}
         end,
    case Quiet of
        true -> P2#{connection => {{127, 0, 0, 1}, 0}};
        false -> P2
    end.

executable(Name) ->
    case filename:pathtype(Name) of
        absolute -> Name;
        _ ->
            case os:find_executable(Name) of
                false -> Name;
                Path -> Path
            end
    end.

%% What peer runs by default: this node's program (erl), by its full path.
erl_executable() ->
    Prog = case init:get_argument(progname) of
               {ok, [[P]]} -> P;
               _ -> "erl"
           end,
    case os:find_executable(Prog) of
        false -> filename:join([code:root_dir(), "bin", "erl"]);
        Path -> Path
    end.

unique_name() ->
    "jinet_ct_" ++ os:getpid() ++ "_" ++
        integer_to_list(erlang:unique_integer([positive])).

host_part() ->
    [_, Host] = string:split(atom_to_list(node()), "@"),
    Host.

owner_init(Parent, Ref, Opts = #{standin := beam}) ->
    Name = unique_name(),
    Cookie = atom_to_list(erlang:get_cookie()),
    case catch peer:start(peer_options(Name, Cookie, Opts)) of
        {ok, Peer, Node} ->
            %% wait_pong => false: this node may not be able to reach the peer (e.g. it
            %% runs TLS distribution); peer's own start-up check is then the only one.
            Pong = case maps:get(wait_pong, Opts, true) of
                       false -> ok;
                       _ -> wait_pong(Node, 30000)
                   end,
            case Pong of
                ok ->
                    Parent ! {Ref, {ok, #{node => Node, kind => beam}}},
                    beam_loop(Peer, Node);
                timeout ->
                    catch peer:stop(Peer),
                    Parent ! {Ref, {error, {no_pong, Node}}}
            end;
        Other ->
            Parent ! {Ref, {error, {peer_start, Other}}}
    end;
owner_init(Parent, Ref, Opts = #{root := Root, log_dir := LogDir}) ->
    process_flag(trap_exit, true),
    Exe = case Root of
              undefined -> undefined;
              _ -> filename:join([filename:absname(Root), "bin", "jinet"])
          end,
    case Exe =/= undefined andalso filelib:is_regular(Exe) of
        false ->
            Parent ! {Ref, {error, {no_jinet_executable, Exe}}};
        true ->
            Name = unique_name(),
            ok = filelib:ensure_dir(filename:join(LogDir, "x")),
            ErrLog = filename:join(LogDir, Name ++ ".stderr.log"),
            OutLog = filename:join(LogDir, Name ++ ".stdout.log"),
            Cookie = atom_to_list(erlang:get_cookie()),
            Port = open_port({spawn_executable, "/bin/sh"},
                             [{args, ["-c", wrapper_script(), "jinet_diff",
                                      ErrLog | maps:get(wrap, Opts, [])] ++
                                  [Exe, "-sname", Name, "-setcookie", Cookie
                                   | maps:get(args, Opts)]},
                              {env, maps:get(env, Opts)},
                              {cd, filename:absname(Root)},
                              exit_status, {line, 4096}, use_stdio, hide]),
            {os_pid, OsPid} = erlang:port_info(Port, os_pid),
            {ok, Out} = file:open(OutLog, [write, raw]),
            S0 = #{port => Port, os_pid => OsPid, name => Name,
                   out => Out, err_log => ErrLog, out_log => OutLog,
                   exit_status => running},
            Deadline = erlang:monotonic_time(millisecond) +
                maps:get(ready_timeout, Opts),
            case wait_ready(S0, Deadline, []) of
                {ready, Line, S1} ->
                    Node = node_from_line(Line, Name),
                    Pong = case maps:get(wait_pong, Opts) of
                               true -> wait_pong(Node, 30000);
                               false -> ok
                           end,
                    case Pong of
                        ok ->
                            Parent ! {Ref, {ok, #{node => Node, kind => jinet,
                                                  os_pid => OsPid,
                                                  stderr_log => ErrLog,
                                                  stdout_log => OutLog}}},
                            jinet_loop(S1#{node => Node});
                        timeout ->
                            Stop = stop_port(S1),
                            Parent ! {Ref, {error, {no_pong, Node, Stop,
                                                    tail(ErrLog)}}}
                    end;
                {not_ready, Why, Lines, S1} ->
                    Stop = stop_port(S1),
                    Parent ! {Ref, {error, {not_ready, Why,
                                            {stdout, lists:reverse(Lines)},
                                            {stderr, tail(ErrLog)},
                                            Stop}}}
            end
    end.

%% Runs the node with stderr in a file and stdin free, forwards SIGTERM to
%% it, and terminates it when our end of the port goes away (this Erlang node
%% dies or closes the port), so no node outlives the test run.
wrapper_script() ->
    wrapper_script(stderr).

%% The same wrapper for any program: `stderr` sends its stderr to the log
%% file given as first argument, `all` its stdout too.
-spec wrapper_script(stderr | all) -> string().
wrapper_script(Logged) ->
    "log=$1; shift\n"
    ++ case Logged of
           stderr -> "exec 3<&0 2>>\"$log\"\n";
           all -> "exec 3<&0 >>\"$log\" 2>&1\n"
       end ++
    "\"$@\" </dev/null 3<&- &\n"
    "c=$!\n"
    "trap 'kill -TERM $c 2>/dev/null' TERM INT HUP\n"
    "( cat <&3 >/dev/null 2>&1; kill -TERM $c 2>/dev/null ) "
    ">/dev/null 2>&1 &\n"
    "exec 3<&-\n"
    "wait $c; st=$?\n"
    "while kill -0 $c 2>/dev/null; do wait $c; st=$?; done\n"
    "exit $st\n".

wait_ready(S = #{port := Port, out := Out}, Deadline, Lines) ->
    Left = max(0, Deadline - erlang:monotonic_time(millisecond)),
    receive
        {Port, {data, {eol, Line}}} ->
            ok = file:write(Out, [Line, $\n]),
            case re:run(Line, "\\bready\\b", [{capture, none}, unicode]) of
                match -> {ready, Line, S};
                nomatch -> wait_ready(S, Deadline, [Line | Lines])
            end;
        {Port, {data, {noeol, Part}}} ->
            ok = file:write(Out, Part),
            wait_ready(S, Deadline, [Part | Lines]);
        {Port, {exit_status, Status}} ->
            {not_ready, {exited, Status}, Lines,
             S#{exit_status => Status}}
    after Left ->
            {not_ready, timeout, Lines, S}
    end.

%% "jinet NAME@HOST ready": take NAME@HOST from the line when it is there.
node_from_line(Line, Name) ->
    Words = string:lexemes(Line, " \t\r"),
    case [W || W <- Words, lists:prefix(Name ++ "@", W)] of
        [W | _] -> list_to_atom(W);
        [] -> list_to_atom(Name ++ "@" ++ host_part())
    end.

jinet_loop(S = #{port := Port, out := Out}) ->
    receive
        {Port, {data, {eol, Line}}} ->
            _ = file:write(Out, [Line, $\n]),
            jinet_loop(S);
        {Port, {data, {noeol, Part}}} ->
            _ = file:write(Out, Part),
            jinet_loop(S);
        {Port, {exit_status, Status}} ->
            %% Died on its own; keep the status for stop_node/1.
            jinet_loop(S#{exit_status => {died_early, Status}});
        {stop, From, Ref} ->
            Result = stop_port(S),
            _ = file:close(Out),
            From ! {Ref, Result#{node => maps:get(node, S, undefined),
                                 stderr_log => maps:get(err_log, S),
                                 stdout_log => maps:get(out_log, S)}};
        _Other ->
            jinet_loop(S)
    end.

beam_loop(Peer, Node) ->
    receive
        {stop, From, Ref} ->
            R = (catch peer:stop(Peer)),
            From ! {Ref, #{node => Node, kind => beam, peer_stop => R,
                           epmd => wait_unregistered(Node, 10000)}};
        _ ->
            beam_loop(Peer, Node)
    end.

%% SIGTERM to the wrapper (forwarded to bin/jinet), wait for it to exit;
%% SIGKILL to the whole process group if it does not. The group is ours:
%% erl_child_setup starts each port program in a session of its own.
stop_port(S = #{port := Port, os_pid := OsPid}) ->
    Pid = integer_to_list(OsPid),
    Status =
        case maps:get(exit_status, S) of
            running ->
                _ = os:cmd("kill -TERM " ++ Pid ++ " 2>/dev/null"),
                case wait_exit(Port, 20000) of
                    {exited, St} -> St;
                    timeout ->
                        _ = os:cmd("kill -KILL -- -" ++ Pid ++ " 2>/dev/null"),
                        case wait_exit(Port, 5000) of
                            {exited, St} -> {killed, St};
                            timeout -> {killed, no_exit_status}
                        end
                end;
            Earlier ->
                Earlier
        end,
    catch port_close(Port),
    %% Anything left in the group (a child bin/jinet did not exec, the
    %% watchdog) goes too.
    _ = os:cmd("kill -TERM -- -" ++ Pid ++ " 2>/dev/null"),
    Node = maps:get(node, S, list_to_atom(maps:get(name, S) ++ "@" ++
                                              host_part())),
    #{kind => jinet, exit_status => Status,
      epmd => wait_unregistered(Node, 10000)}.

wait_exit(Port, Timeout) ->
    receive
        {Port, {exit_status, St}} -> {exited, St};
        {Port, {data, _}} -> wait_exit(Port, Timeout)
    after Timeout -> timeout
    end.

wait_pong(Node, Timeout) ->
    Deadline = erlang:monotonic_time(millisecond) + Timeout,
    wait_pong_until(Node, Deadline).

wait_pong_until(Node, Deadline) ->
    case net_adm:ping(Node) of
        pong -> ok;
        pang ->
            case erlang:monotonic_time(millisecond) > Deadline of
                true -> timeout;
                false -> timer:sleep(200), wait_pong_until(Node, Deadline)
            end
    end.

wait_unregistered(Node, Timeout) ->
    [Name, Host] = string:split(atom_to_list(Node), "@"),
    Deadline = erlang:monotonic_time(millisecond) + Timeout,
    wait_unregistered(Name, Host, Deadline).

wait_unregistered(Name, Host, Deadline) ->
    Registered = case net_adm:names(Host) of
                     {ok, Names} -> lists:keymember(Name, 1, Names);
                     _ -> false
                 end,
    case Registered of
        false -> gone;
        true ->
            case erlang:monotonic_time(millisecond) > Deadline of
                true -> still_registered;
                false -> timer:sleep(200),
                         wait_unregistered(Name, Host, Deadline)
            end
    end.

%% The last 4000 bytes of a log file (or why it cannot be read).
tail(File) ->
    case file:read_file(File) of
        {ok, Bin} when byte_size(Bin) > 4000 ->
            binary:part(Bin, byte_size(Bin) - 4000, 4000);
        {ok, Bin} -> Bin;
        Error -> Error
    end.

%%====================================================================
%% Evaluation and comparison
%%====================================================================

%% Starts the suite's oracle, a BEAM peer (start_beam/1 with Opts), and
%% makes it the node compare/3,4 and compare_erpc/4 ask for the expected
%% answers.
-spec oracle_start(map()) -> {ok, handle()} | {error, term()}.
oracle_start(Opts) ->
    case start_beam(Opts) of
        {ok, #{node := Node}} = Ok ->
            persistent_term:put({?MODULE, oracle}, Node),
            Ok;
        Error ->
            Error
    end.

%% Stops the oracle started by oracle_start/1.
-spec oracle_stop(handle()) -> {ok, map()}.
oracle_stop(Handle) ->
    _ = persistent_term:erase({?MODULE, oracle}),
    stop_node(Handle).

%% The oracle's node; error no_oracle when none was started.
-spec oracle() -> node().
oracle() ->
    case persistent_term:get({?MODULE, oracle}, undefined) of
        undefined -> erlang:error(no_oracle);
        Node -> Node
    end.

%% M:F(Args) evaluated on Node over a transport, in the shape rex gives.
-spec remote(transport(), module(), atom(), list()) -> term().
remote({Kind, Node}, M, F, Args) ->
    remote({Kind, Node, ?CALL_TIMEOUT}, M, F, Args);
remote({block_call, Node, Timeout}, M, F, Args) ->
    rpc:block_call(Node, M, F, Args, Timeout);
remote({call, Node, Timeout}, M, F, Args) ->
    rpc:call(Node, M, F, Args, Timeout);
remote({erpc, Node, Timeout}, M, F, Args) ->
    try erpc:call(Node, M, F, Args, Timeout)
    catch
        throw:V -> V;
        exit:{exception, R} -> {badrpc, {'EXIT', R}};
        exit:{signal, R} -> {badrpc, {'EXIT', R}};
        error:{exception, R, St} -> {badrpc, {'EXIT', {R, St}}};
        error:{erpc, R} -> {badrpc, {erpc, R}}
    end;
remote(Fun, M, F, Args) when is_function(Fun, 3) ->
    Fun(M, F, Args).

%% A transport as a fun, e.g. to hand to worker processes.
-spec transport(transport()) -> fun((module(), atom(), list()) -> term()).
transport(T) ->
    fun(M, F, Args) -> remote(T, M, F, Args) end.

-spec canon(term()) -> term().
canon({badrpc, {'EXIT', {Reason, [_ | _] = St}}} = T) ->
    case is_stacktrace(St) of
        true -> {badrpc, {'EXIT', {Reason, '$stack'}}};
        false -> T
    end;
canon(T) ->
    T.

-spec same(term(), term()) -> boolean().
same(Beam, Jinet) ->
    canon(Beam) =:= canon(Jinet).

-spec is_stacktrace(term()) -> boolean().
is_stacktrace(St) when is_list(St) ->
    lists:all(fun is_frame/1, St);
is_stacktrace(_) ->
    false.

is_frame({M, F, A, Loc}) when is_atom(M), is_atom(F), is_list(Loc) ->
    is_integer(A) orelse is_list(A);
is_frame({Fun, A, Loc}) when is_function(Fun), is_list(Loc) ->
    is_integer(A) orelse is_list(A);
is_frame(_) ->
    false.

%% Calls Fun (an inet function name, or {M,F}) with each argument list over
%% Transport, on the oracle (BEAM) and on the node Transport names, the
%% oracle first. Counts go to the stats table (if started), under "F/Arity"
%% (or Label); returns the mismatches.
-spec compare(atom() | {module(), atom()}, [list()], transport()) ->
          [mismatch()].
compare(Fun, ArgsList, Transport) ->
    compare(Fun, ArgsList, Transport, undefined).

-spec compare(atom() | {module(), atom()}, [list()], transport(),
              string() | undefined) -> [mismatch()].
compare(F, ArgsList, Transport, Label) when is_atom(F) ->
    compare({inet, F}, ArgsList, Transport, Label);
compare({M, F}, ArgsList, Transport, Label) ->
    Oracle = on_oracle(Transport),
    Results = [{Args, remote(Oracle, M, F, Args), remote(Transport, M, F, Args)}
               || Args <- ArgsList],
    Mismatches = [#{mfa => {M, F, Args}, beam => L, jinet => R}
                  || {Args, L, R} <- Results, not same(L, R)],
    tally(M, F, Label, Results),
    Mismatches.

%% The same call path to the oracle.
on_oracle({Kind, _Node}) -> {Kind, oracle()};
on_oracle({Kind, _Node, Timeout}) -> {Kind, oracle(), Timeout}.

tally(M, F, Label, Results) ->
    Counts = lists:foldl(
               fun({Args, L, R}, Acc) ->
                       Key = case Label of
                                 undefined -> label(M, F, length(Args));
                                 _ -> Label
                             end,
                       Same = case same(L, R) of true -> 1; false -> 0 end,
                       maps:update_with(Key, fun({T, S}) -> {T + 1, S + Same} end,
                                        {1, Same}, Acc)
               end, #{}, Results),
    maps:foreach(fun(Key, {T, S}) -> record(Key, T, S) end, Counts).

label(inet, F, A) -> lists:flatten(io_lib:format("~p/~b", [F, A]));
label(M, F, A) -> lists:flatten(io_lib:format("~p:~p/~b", [M, F, A])).

%% Logs every mismatch (CT log, a file in the priv dir, the first ones on
%% stdout) and fails the case; ok when there are none.
%% Ctx: #{case := atom(), seed := integer(), priv_dir => dir}.
-spec report(map(), [mismatch()]) -> ok.
report(_Ctx, []) ->
    ok;
report(Ctx = #{'case' := Case, seed := Seed}, Mismatches) ->
    N = length(Mismatches),
    Texts = [format_mismatch(Seed, M) || M <- Mismatches],
    Head = io_lib:format("~p: ~b mismatch(es) between BEAM and jinet "
                         "(seed ~p, rerun with JINET_SEED=~p)~n",
                         [Case, N, Seed, Seed]),
    File = case maps:get(priv_dir, Ctx, undefined) of
               undefined -> undefined;
               Dir ->
                   F = filename:join(Dir, "mismatches_" ++
                                         atom_to_list(Case) ++ ".txt"),
                   ok = file:write_file(F, unicode:characters_to_binary(
                                             [Head | Texts])),
                   F
           end,
    log("~ts", [[Head | Texts]]),
    Shown = lists:sublist(Texts, 25),
    io:format(user, "~n~ts~ts~ts", [Head, Shown,
                                    case N > 25 of
                                        true -> io_lib:format(
                                                  "... ~b more in ~ts~n",
                                                  [N - 25, File]);
                                        false -> ""
                                    end]),
    ct:fail({mismatches, Case, N, {seed, Seed}, {file, File},
             {first, lists:flatten(hd(Texts))}}).

%% ct:log with HTML special characters escaped (terms hold <<>>, <0.1.2>).
-spec log(io:format(), list()) -> ok.
log(Format, Args) ->
    ct:log(default, 50, Format, Args, [esc_chars]).

-spec format_mismatch(integer(), mismatch()) -> iolist().
format_mismatch(Seed, #{mfa := {M, F, Args}, beam := L, jinet := R}) ->
    Input = case Args of
                [A] -> A;
                _ -> Args
            end,
    io_lib:format("[seed ~p] ~ts~n  input: ~ts~n  BEAM:  ~ts~n  jinet: ~ts~n",
                  [Seed, label(M, F, length(Args)), show(Input),
                   show(canon(L)), show(R)]).

show(T) ->
    S = lists:flatten(io_lib:format("~tp", [T])),
    case length(S) > 1500 of
        true -> lists:sublist(S, 1500) ++
                    io_lib:format("... (~b chars)", [length(S)]);
        false -> S
    end.

%%====================================================================
%% Counts, kept in a public ETS table owned by a long-lived process
%%====================================================================

-spec stats_start() -> ok.
stats_start() ->
    case ets:info(?STATS, owner) of
        undefined ->
            Self = self(),
            Ref = make_ref(),
            spawn(fun() ->
                          ets:new(?STATS, [named_table, public, set,
                                           {write_concurrency, true}]),
                          Self ! Ref,
                          receive stop -> ok end
                  end),
            receive Ref -> ok end;
        _ ->
            ok
    end.

-spec stats_stop() -> ok.
stats_stop() ->
    case ets:info(?STATS, owner) of
        undefined -> ok;
        Owner -> Owner ! stop, ok
    end.

%% Adds Total calls, Identical of them identical, for function Key.
-spec record(string(), non_neg_integer(), non_neg_integer()) -> ok.
record(Key, Total, Identical) ->
    case ets:info(?STATS, owner) of
        undefined -> ok;
        _ ->
            _ = ets:update_counter(?STATS, Key, [{2, Total}, {3, Identical}],
                                   {Key, 0, 0}),
            ok
    end.

-spec summary() -> [{string(), non_neg_integer(), non_neg_integer()}].
summary() ->
    case ets:info(?STATS, owner) of
        undefined -> [];
        _ -> lists:sort(ets:tab2list(?STATS))
    end.

-spec format_summary([{string(), non_neg_integer(), non_neg_integer()}]) ->
          iolist().
format_summary(Rows) ->
    {T, I} = lists:foldl(fun({_, A, B}, {X, Y}) -> {X + A, Y + B} end,
                         {0, 0}, Rows),
    Line = io_lib:format("~-34s ~9s ~9s~n", ["function", "cases",
                                             "identical"]),
    Sep = [lists:duplicate(54, $-), $\n],
    [Line, Sep,
     [io_lib:format("~-34ts ~9b ~9b~ts~n",
                    [K, A, B, case A =:= B of true -> ""; false -> "  <--" end])
      || {K, A, B} <- Rows],
     Sep, io_lib:format("~-34s ~9b ~9b~n", ["total", T, I])].

%%====================================================================
%% Seeds
%%====================================================================

%% The run's seed: $JINET_SEED, else from the clock.
-spec seed() -> integer().
seed() ->
    case os:getenv("JINET_SEED") of
        S when is_list(S), S =/= "" ->
            list_to_integer(string:trim(S));
        _ ->
            {A, B, C} = os:timestamp(),
            (A * 1000000 + B) * 1000000 + C
    end.

%% Seeds this process's rand from the run's seed and a tag (the case name,
%% a worker number...), so each case's inputs can be reproduced alone.
-spec seed_process(integer(), term()) -> ok.
seed_process(Seed, Tag) ->
    _ = rand:seed(exsss, {Seed, erlang:phash2(Tag), 16#1e7}),
    ok.

%%====================================================================
%% Inputs: address strings
%%====================================================================

-spec parse_edge_strings() -> [string()].
parse_edge_strings() ->
    ipv4_edges() ++ ipv6_edges() ++ embedded_ipv4() ++ unicode_edges().

ipv4_edges() ->
    ["", "0", "00", "1", "127.1", "0x7f.1", "0X7F.1", "0x7F.0.0.1",
     "017.0.0.1", "0x", "0X", "0x.1.2.3", "1.0x", "0x0", "0x00000000",
     "1.2.3.4", "1.2.3.4.5", "1.2.3.4.", ".1.2.3.4", "1..2.3", "1.2..3",
     "1.2.3.", "1.2.", "1.", ".", "..", "...", "....",
     "+1.2.3.4", "-0.1.2.3", "-1.2.3.4", "1.+2.3.4", "1.2.3.-0", "1.2.3.+4",
     "+0", "-0", "+", "-", "0x+f.1", "0x-1.1", "0+1.2.3.4", "1.2.3.4+",
     "01.02.03.04", "001.002.003.004", "0001.2.3.4",
     "00000000001.2.3.4", "000000000001.2.3.4", "0000000000001.2.3.4",
     "0x0000000001.2.3.4", "0x00000000000000001.2.3.4", "0x000000001",
     "255.255.255.255", "256.1.1.1", "1.256.1.1", "1.1.256.1", "1.1.1.256",
     "999.1.1.1", "1000.1.1.1", "4294967295", "4294967296", "42949672950",
     "0xffffffff", "0xFFFFFFFF", "0x100000000", "0x1ffffffff",
     "037777777777", "040000000000", "0377777777777",
     "1.16777215", "1.16777216", "255.16777215", "256.1", "0x1.0xffffff",
     "1.2.65535", "1.2.65536", "1.256.1", "1.2.0xffff", "1.2.0177777",
     "0377.0377.0377.0377", "0400.0.0.1", "0xff.0xff.0xff.0xff",
     "0xFF.0xFF.0xFF.0xFF", "0x100.0.0.1", "0xfff.0.0.1",
     "08", "09", "08.1.1.1", "1.2.3.08", "1.2.3.09", "1.2.3.010", "019",
     "0x1g", "0xg", "0x0x1", "1.2.3.0x4", "1.2.3.0X4", "1.2.3.04",
     "0.0.0.0", "00.00.00.00", "0.0", "0.0.0", "0.0.0.0.0",
     "1.2.3.4 ", " 1.2.3.4", "1.2.3.4\n", "1.2.3.4\t", "1. 2.3.4",
     "1.2.3.4%", "1.2.3.4%0", "1.2.3.4%eth0", "1.2.3.4:80", "1.2.3.4/24",
     "1e3", "1.2.3.4e", "a.b.c.d", "0xa.0xb.0xc.0xd", "10.0.0.1",
     "192.168.42.2", "150.236.20.73", "127.0.0.1", "224.0.0.1",
     "12345678901", "1234567890", "0123456701", "01234567012",
     "0x12345678", "0x123456789"].

ipv6_edges() ->
    ["::", ":::", "::::", ":", "::1", "::0", "1::", "1::2", "::1:2",
     "0::0", "0:0:0:0:0:0:0:0", "0:0:0:0:0:0:0:1", "::ffff:0:0",
     "::ffff:1.2.3.4", "::1.2.3.4", "::FFFF:1.2.3.4", "::ffff:1.2.3",
     "::ffff:1.2.3.4.5", "::ffff:01.2.3.4", "::ffff:256.2.3.4",
     "::ffff:0x1.2.3.4", "::ffff:1.2.3.04", "::ffff:0.0.0.0",
     "::ffff:255.255.255.255", "::0.0.0.0", "::0.0.0.1", "::0.0.1.0",
     "::ffff:1.2.3.", "::ffff:.1.2.3", "::ffff:1..2.3", "::fffe:1.2.3.4",
     "::FFFF:192.168.42.2", "::192.168.42.2", "0:0:0:0:0:ffff:1.2.3.4",
     "0:0:0:0:0:0:1.2.3.4", "1:2:3:4:5:6:1.2.3.4",
     "fe80::1%lo", "fe80::1%0", "fe80::1%025", "ff02::1%3", "fe80::%",
     "1::2%0", "fe80::1%", "fe80::1%00", "fe80::1%01", "fe80::1%065535",
     "fe80::1%065536", "fe80::1%099999", "fe80::1%0x1", "fe80::1%0-1",
     "fe80::1%0 ", "fe80::1%eth0", "fe80::1%%", "fe80::1%%0",
     "fe80::1%25", "fe80::1%2525", "fe80::1%1", "fe80::1%9",
     "fe80:0::1%01", "fe80:1::1%01", "fe80:0:0:0:0:0:0:1%01",
     "fe80:0:0:0:0:0:0:1%", "fe80:0:0:0:0:0:0:1%lo",
     "fe80:1:0:0:0:0:0:1%01", "FE80::1%01", "Fe80::1%01", "FE80::1%lo",
     "ff02::1%01", "ff02::%01", "ff02::%", "FF02::1%01", "ff01::1%01",
     "ff02:0:1::1%01", "fe80::1:2:3:4:5%01", "fe80::1:2:3:4:5:6%01",
     "fe80%01", "fe80:%01", "fe80::%01", "fe80::1%01%02",
     "fe80::1.2.3.4%01", "fe80::1.2.3.4", "fe80::1%01.2.3.4",
     "::%01", "::1%01", "1::%", "%", "%01", "::%",
     "fe80::204:acff:fe17:bf38", "3ffe:b80:1f8d:2:204:acff:fe17:bf38",
     "3FFE:B80:1F8D:2:204:ACFF:FE17:BF38", "2001:db8::1", "2001:DB8::1",
     "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
     "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1::3:4:5:6:7:8",
     "1:2:3:4:5:6::8", "1:2:3:4:5:6:7::8", "::1:2:3:4:5:6:7:8",
     "1:2:3:4:5:6:7:8::", "1:2:3:4:5:6::", "1:2:3:4:5::", "::1:2:3:4:5:6",
     ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", ":1::", "::1:", "1:::2",
     "1::2::3", "::1::", "1:2:3::4:5::6", "12345::", "::12345",
     "00000::", "0000::", "0000:0000::", "ffff::", "FFFF::", "fffff::",
     "abcd:EF01::", "ABCD::", "aBcD::eF", "g::", "::g", "::G", "1:g::",
     "[::1]", "::1/128", "::1 ", " ::1", "::1\n", "fe80::1%eth0\n",
     "1.2.3.4::", "1.2.3.4::1", "1:1.2.3.4:2", "::1.2.3.4:1", "::1.2.3",
     "::1.2", "::1.", "::.1", "::1.2.3.4.", "::1.2.3.4.5", "::01.2.3.4",
     "::1.2.3.04", "::256.1.1.1", "::1.2.3.256", "::0x1.2.3.4",
     "::ffff:1.2.3.4%01", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:1.2.3.4",
     "1:2:3:4:5:6:7:8:1.2.3.4", "::1:2:3:4:5:1.2.3.4",
     "::1:2:3:4:5:6:1.2.3.4", "1::1.2.3.4", "1:2::3:4:1.2.3.4",
     "0x1::", "0X1::", "::0x1", "+1::", "-1::", "::-1", "::+1",
     "1:+2::", "fe80::+1", "0:0:0:0:0:0:0:0:0"].

%% An IPv4 part after every number of leading words, with and without "::"
%% at every place.
embedded_ipv4() ->
    Words = ["1", "a", "ffff", "0", "BEEF", "00", "12", "3"],
    Tails = ["1.2.3.4", "255.255.255.255", "0.0.0.0", "1.2.3", "01.2.3.4",
             "1.2.3.4.5"],
    lists:append(
      [begin
           Pre = lists:sublist(Words, P),
           Plain = [string:join(Pre ++ [T], ":") || T <- Tails],
           Compressed =
               [string:join(lists:sublist(Pre, C), ":") ++ "::" ++
                    string:join(lists:nthtail(C, Pre) ++ [T], ":")
                || C <- lists:seq(0, P), T <- ["1.2.3.4", "1.2.3"]],
           Plain ++ Compressed
       end || P <- lists:seq(0, 8)]).

unicode_edges() ->
    ["１.２.３.４", "1.2.3.４", [16#661, $., 16#662, $., 16#663, $., 16#664],
     "1.2.3.4é", "é", "ü::1", "fe80::1%é", "fe80::1%ü", "fe80::1%0é",
     [16#10FFFF], "1.2.3." ++ [16#10FFFF], "::ffff:" ++ [16#661, $., $2, $.,
                                                          $3, $., $4],
     [16#FF10, 16#FF10, $:, $:], "ǅ", "ａ::", "::ｆ", "fe80::1%ǅ",
     [$1, 16#2024, $2, 16#2024, $3, 16#2024, $4], [0], "1.2.3.4" ++ [0],
     "fe80::1%" ++ [0], [$1, 255, $2], [255, 255], [256], "0x" ++ [256]].

%% Inputs that are not (proper, character) strings.
-spec parse_non_strings() -> [term()].
parse_non_strings() ->
    ['1.2.3.4', '::1', foo, undefined, true, nil, '',
     <<"1.2.3.4">>, <<"::1">>, <<>>, <<1:3>>,
     0, 1, 16#7f000001, -1, 1 bsl 64, -(1 bsl 64), 1 bsl 200,
     1.0, 49.0, 1.2e300, -0.0,
     {}, {1, 2, 3, 4}, {"1.2.3.4"}, {0, 0, 0, 0, 0, 0, 0, 1},
     self(), make_ref(), fun erlang:abs/1, #{}, #{a => 1},
     [$1 | foo], "1.2.3.4" ++ foo, [$f, $e, $8, $0, $:, $:, $1, $% | foo],
     "::" ++ foo, "1.2.3." ++ foo, "1.2.3.4." ++ foo, "fe80::1%0" ++ foo,
     "fe80::1%01" ++ foo, "fe80::1%012" ++ foo, "fe80::1%" ++ [$a | b],
     "::ffff:1.2.3.4" ++ bar, [$1, $., $2 | 3], "0x" ++ foo, "0" ++ foo,
     "0x1" ++ foo, "01" ++ foo, "1:2" ++ foo, "1::" ++ <<"2">>,
     "::1" ++ foo, "1" ++ 1.0, [$: | $:], [[]], [[$1]], ["1.2.3.4"],
     [<<"1">>], ['1', '.'], [a], "1.2.3." ++ [a], [foo, $1],
     "fe80::1%" ++ [foo], "fe80::1%0" ++ [foo], "::" ++ [foo],
     "1.2.3.4" ++ [foo], [[$1], $., $2], "::ffff:" ++ [self()],
     [49.0], [49.5], [48.0], "1.2.3." ++ [52.0], [48.0, $x, $1],
     "0x" ++ [55.0, 70.0], "0" ++ [55.0], [$f, $e, $8, $0, $:, $:, 49.0],
     "::" ++ [49.0], "::" ++ [97.0], "::" ++ [65.0], [$1, 46.0, $2],
     "fe80::1%0" ++ [49.0], "fe80::1%0" ++ [49.5], "fe80::1%" ++ [48.0, 49.0],
     "fe80::1%0" ++ [57.0, 57.0, 57.0, 57.0, 57.0], "fe80::1%" ++ [48.0],
     "ff02::1%0" ++ [50.0], "::ffff:1.2.3." ++ [52.0], "1.2.3.4%" ++ [49.0],
     [-1], [1 bsl 70], "1.2.3." ++ [-1], "fe80::1%0" ++ [1 bsl 70],
     "fe80::1%" ++ [-5], "fe80::1%0" ++ [-5], "::" ++ [-1], [$1, -46, $2],
     "1." ++ [1 bsl 70], "fe80::1%" ++ [1 bsl 70],
     lists:duplicate(5000, $1), "1." ++ lists:duplicate(1000, $0) ++ "1",
     lists:duplicate(2000, $:), "::" ++ lists:duplicate(20000, $a),
     "fe80::1%0" ++ lists:duplicate(10000, $0),
     "fe80::1%" ++ lists:duplicate(10000, $x),
     "fe80::1%0" ++ lists:duplicate(50, $9),
     lists:append(lists:duplicate(500, "1.")),
     lists:append(lists:duplicate(500, "1:")),
     lists:append(lists:duplicate(300, "ffff:")) ++ ":",
     lists:duplicate(100000, $0)].

-define(ALPHABET, "0123456789abcdefABCDEFxX.:%").
-define(OTHER, [$-, $+, $\s, $g, $G, $/, $[, $], $z, $l, $o, $\n, $\t, 0,
                16#e9, 16#661, 16#FF11, 16#10FFFF, $_, $,]).

%% Random string over an address-like alphabet, length 0..45.
-spec random_address_string() -> string().
random_address_string() ->
    [random_char() || _ <- lists:seq(1, rand:uniform(46) - 1)].

random_char() ->
    case rand:uniform(40) of
        1 -> pick(?OTHER);
        _ -> pick(?ALPHABET)
    end.

pick(L) -> lists:nth(rand:uniform(length(L)), L).

%% A random parse input: a third pure noise, the rest well-formed addresses
%% in random spellings, half of those slightly damaged.
-spec random_parse_input() -> string().
random_parse_input() ->
    case rand:uniform(6) of
        1 -> random_address_string();
        2 -> random_address_string();
        3 -> ipv4_text(random_ipv4());
        4 -> ipv6_text(random_ipv6());
        5 -> mutate(ipv4_text(random_ipv4()));
        6 -> mutate(ipv6_text(random_ipv6()))
    end.

%% The edge lists, the non-strings, and random inputs: at least N in all.
-spec parse_inputs(pos_integer()) -> [[term()]].
parse_inputs(N) ->
    Fixed = parse_edge_strings() ++ parse_non_strings(),
    Random = [random_parse_input()
              || _ <- lists:seq(1, max(N - length(Fixed), N div 2))],
    [[I] || I <- Fixed ++ Random].

random_ipv4() ->
    {byte(), byte(), byte(), byte()}.

byte() ->
    case rand:uniform(5) of
        1 -> 0;
        2 -> 255;
        3 -> rand:uniform(10) - 1;
        _ -> rand:uniform(256) - 1
    end.

word() ->
    case rand:uniform(8) of
        N when N =< 4 -> 0;
        5 -> rand:uniform(16) - 1;
        6 -> 16#ffff;
        _ -> rand:uniform(16#10000) - 1
    end.

nonzero_word() ->
    rand:uniform(16#ffff).

random_ipv6() ->
    case rand:uniform(8) of
        1 -> {16#fe80, nonzero_word(), word(), word(), word(), word(),
              word(), word()};
        2 -> {16#ff02, nonzero_word(), word(), word(), word(), word(),
              word(), word()};
        3 -> {0, 0, 0, 0, 0, 16#ffff, word(), word()};
        4 -> {0, 0, 0, 0, 0, 0, word(), word()};
        5 -> list_to_tuple([rand:uniform(16#10000) - 1
                            || _ <- lists:seq(1, 8)]);
        6 -> {16#fe80, 0, 0, 0, word(), word(), word(), word()};
        _ -> list_to_tuple([word() || _ <- lists:seq(1, 8)])
    end.

%% IPv4 tuple as text: half plain dotted decimal, half 1 to 4 parts, each
%% decimal, octal or hex.
ipv4_text({_, _, _, _} = T) ->
    case rand:uniform(2) of
        1 -> string:join([integer_to_list(X) || X <- tuple_to_list(T)], ".");
        2 -> ipv4_text_any(T)
    end.

ipv4_text_any({A, B, C, D}) ->
    Parts = case rand:uniform(8) of
                1 -> [(A bsl 24) bor (B bsl 16) bor (C bsl 8) bor D];
                2 -> [A, (B bsl 16) bor (C bsl 8) bor D];
                3 -> [A, B, (C bsl 8) bor D];
                _ -> [A, B, C, D]
            end,
    string:join([number_text(P) || P <- Parts], ".").

number_text(N) ->
    case rand:uniform(6) of
        1 -> "0" ++ zeros() ++ integer_to_list(N, 8);
        2 -> pick(["0x", "0X"]) ++ zeros() ++ case_(integer_to_list(N, 16));
        _ -> integer_to_list(N)
    end.

zeros() ->
    lists:duplicate(max(0, rand:uniform(6) - 4), $0).

case_(S) ->
    case rand:uniform(3) of
        1 -> string:lowercase(S);
        2 -> string:uppercase(S);
        3 -> [case rand:uniform(2) of 1 -> string:to_upper(Ch);
                                      2 -> string:to_lower(Ch) end
              || Ch <- S]
    end.

%% IPv6 tuple as text: leading zeros, case, "::" at a random zero run (or
%% none), dotted IPv4 tail, scope suffix, all at random.
ipv6_text(T) ->
    Ws = tuple_to_list(T),
    {Head, V4} = case rand:uniform(4) of
                     1 ->
                         [_, _, _, _, _, _, G, H] = Ws,
                         {lists:sublist(Ws, 6),
                          [string:join([integer_to_list(X) ||
                                           X <- [G bsr 8, G band 255,
                                                 H bsr 8, H band 255]], ".")]};
                     _ ->
                         {Ws, []}
                 end,
    Texts = [hex_word(W) || W <- Head],
    Body = compress(Head, Texts, V4),
    Body ++ case rand:uniform(5) of
                1 -> "%" ++ pick(["", "0", "00", "01", "025", "lo", "eth0",
                                  "%", "1", "0" ++ integer_to_list(
                                                      rand:uniform(70000)),
                                  integer_to_list(rand:uniform(99))]);
                _ -> ""
            end.

hex_word(W) ->
    S = case_(integer_to_list(W, 16)),
    case rand:uniform(6) of
        1 -> lists:duplicate(max(0, 4 - length(S)), $0) ++ S;
        2 -> "0" ++ S;
        _ -> S
    end.

compress(Words, Texts, V4) ->
    Runs = zero_runs(Words, 1, []),
    case Runs =/= [] andalso rand:uniform(4) > 1 of
        true ->
            {Start, Len} = pick(Runs),
            Before = lists:sublist(Texts, Start - 1),
            After = lists:nthtail(Start - 1 + Len, Texts),
            string:join(Before, ":") ++ "::" ++ string:join(After ++ V4, ":");
        false ->
            string:join(Texts ++ V4, ":")
    end.

%% All runs of zero words, as {Start, Length}, every sub-run included.
zero_runs([], _, Acc) ->
    lists:reverse(Acc);
zero_runs([0 | _] = Ws, I, Acc) ->
    N = length(lists:takewhile(fun(W) -> W =:= 0 end, Ws)),
    zero_runs(tl(Ws), I + 1, [{I, L} || L <- lists:seq(N, 1, -1)] ++ Acc);
zero_runs([_ | Ws], I, Acc) ->
    zero_runs(Ws, I + 1, Acc).

mutate(S) ->
    lists:foldl(fun(_, Acc) -> mutate1(Acc) end, S,
                lists:seq(1, rand:uniform(3))).

mutate1([]) ->
    [random_char()];
mutate1(S) ->
    I = rand:uniform(length(S)),
    {A, [C | B]} = lists:split(I - 1, S),
    case rand:uniform(4) of
        1 -> A ++ B;
        2 -> A ++ [random_char(), C | B];
        3 -> A ++ [random_char() | B];
        4 -> A ++ [C, C | B]
    end.

%%====================================================================
%% Inputs: tuples for ntoa/1 and ipv4_mapped_ipv6_address/1
%%====================================================================

-spec random_ip_tuple() -> tuple().
random_ip_tuple() ->
    case rand:uniform(3) of
        1 -> random_ipv4();
        _ -> random_ipv6()
    end.

%% A term that is almost an address: one element out of range, negative,
%% a float, an atom..., or a wrong size, or not a tuple.
bad_ip_term() ->
    case rand:uniform(5) of
        1 -> spoil(random_ipv4(), 255);
        2 -> spoil(random_ipv6(), 16#ffff);
        3 -> list_to_tuple([word() || _ <- lists:seq(1, pick([0, 1, 2, 3, 5,
                                                              6, 7, 9, 16]))]);
        4 -> tuple_to_list(random_ip_tuple());
        5 -> pick([foo, "1.2.3.4", <<1, 2, 3, 4>>, 16#7f000001, 1.0, [], self(),
                   #{}, {{1, 2, 3, 4}}, {{1, 2, 3, 4}, 80}, make_ref()])
    end.

spoil(T, Max) ->
    I = rand:uniform(tuple_size(T)),
    Old = element(I, T),
    New = case rand:uniform(10) of
              1 -> Max + 1;
              2 -> Max + rand:uniform(1 bsl 20);
              3 -> -1;
              4 -> -rand:uniform(1 bsl 20);
              5 -> float(Old);
              6 -> Old + 0.5;
              7 -> pick([foo, '0', "0", <<0>>, [], {}, self()]);
              8 -> 1 bsl (64 + rand:uniform(100));
              9 -> -(1 bsl (64 + rand:uniform(100)));
              10 -> Old - (Max + 1)
          end,
    setelement(I, T, New).

ntoa_edges() ->
    [{0, 0, 0, 0}, {255, 255, 255, 255}, {127, 0, 0, 1}, {256, 0, 0, 0},
     {-1, 0, 0, 0}, {1.0, 2, 3, 4}, {1, 2, 3, 4.0}, {a, b, c, d},
     {0, 0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0, 1},
     {0, 0, 0, 0, 0, 0, 0, 2}, {0, 0, 0, 0, 0, 0, 1, 0},
     {0, 0, 0, 0, 0, 0, 0, 16#ffff}, {0, 0, 0, 0, 0, 0, 16#ffff, 0},
     {0, 0, 0, 0, 0, 16#ffff, 0, 0}, {0, 0, 0, 0, 0, 16#ffff, 0, 1},
     {0, 0, 0, 0, 0, 16#ffff, 16#c0a8, 16#2a02},
     {0, 0, 0, 0, 0, 16#fffe, 1, 2}, {0, 0, 0, 0, 1, 16#ffff, 1, 2},
     {0, 0, 0, 0, 0, 65535.0, 1, 2}, {0, 0, 0, 0, 0, 0, 0, 1.0},
     {0.0, 0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0, -1},
     {16#fe80, 0, 0, 0, 0, 0, 0, 1}, {16#fe80, 1, 0, 0, 0, 0, 0, 1},
     {16#fe80, 16#ffff, 0, 0, 0, 0, 0, 0}, {16#fe80, 1, 1, 0, 0, 0, 0, 1},
     {16#fe80, 1, 0, 0, 1, 0, 0, 1}, {16#ff02, 3, 0, 0, 0, 0, 0, 1},
     {16#ff02, 0, 0, 0, 0, 0, 0, 1}, {16#ff01, 3, 0, 0, 0, 0, 0, 1},
     {16#fe80, 1, 2, 3, 4, 5, 6, 7}, {16#fe80, 1.0, 0, 0, 0, 0, 0, 1},
     {1, 0, 0, 1, 0, 0, 0, 1}, {1, 0, 0, 0, 1, 0, 0, 1},
     {1, 0, 1, 0, 1, 0, 1, 0}, {0, 1, 0, 1, 0, 1, 0, 1},
     {1, 0, 0, 1, 1, 0, 0, 1}, {0, 0, 1, 0, 0, 1, 0, 0},
     {1, 2, 3, 4, 5, 6, 7, 8}, {16#ffff, 16#ffff, 16#ffff, 16#ffff,
                                16#ffff, 16#ffff, 16#ffff, 16#ffff},
     {16#10000, 0, 0, 0, 0, 0, 0, 0}, {16#3ffe, 16#b80, 16#1f8d, 2, 16#204,
                                       16#acff, 16#fe17, 16#bf38},
     {}, {1}, {1, 2, 3}, {1, 2, 3, 4, 5}, {1, 2, 3, 4, 5, 6, 7},
     {1, 2, 3, 4, 5, 6, 7, 8, 9}, [127, 0, 0, 1], "127.0.0.1", foo, 1,
     <<127, 0, 0, 1>>, {{127, 0, 0, 1}}, {1 bsl 70, 0, 0, 0},
     {-(1 bsl 70), 0, 0, 0}, {0, 0, 0, 0, 0, 0, 1 bsl 70, 0}].

-spec ntoa_inputs(pos_integer()) -> [[term()]].
ntoa_inputs(N) ->
    Edges = ntoa_edges(),
    Random = [case rand:uniform(4) of
                  1 -> bad_ip_term();
                  _ -> random_ip_tuple()
              end || _ <- lists:seq(1, max(N - length(Edges), N div 2))],
    [[T] || T <- Edges ++ Random].

mapped_edges() ->
    [{0, 0, 0, 0}, {255, 255, 255, 255}, {192, 168, 42, 2}, {256, 0, 0, 0},
     {-1, 0, 0, 0}, {-1, -1, -1, -1}, {0, 0, 0, -256}, {-(1 bsl 70), 1, 2, 3},
     {1 bsl 70, 1, 2, 3}, {1.0, 2, 3, 4}, {1, 2, 3, 4.0}, {a, 2, 3, 4},
     {0, 0, 0, 0, 0, 16#ffff, 16#c0a8, 16#2a02}, {0, 0, 0, 0, 0, 0, 0, 0},
     {1, 2, 3, 4, 5, 6, 7, 8}, {16#ffff, 16#ffff, 16#ffff, 16#ffff,
                                16#ffff, 16#ffff, 16#ffff, 16#ffff},
     {0, 0, 0, 0, 0, 0, 16#10000, 0}, {0, 0, 0, 0, 0, 0, -1, -1},
     {0, 0, 0, 0, 0, 0, -(1 bsl 70), 1}, {0, 0, 0, 0, 0, 0, 1.0, 1},
     {-1, 0, 0, 0, 0, 0, 0, 0}, {1 bsl 70, 0, 0, 0, 0, 0, 0, 0},
     {}, {1, 2, 3}, {1, 2, 3, 4, 5}, {1, 2, 3, 4, 5, 6, 7},
     {1, 2, 3, 4, 5, 6, 7, 8, 9}, foo, "1.2.3.4", [1, 2, 3, 4], 1, 1.0,
     <<1, 2, 3, 4>>, self(), #{}].

-spec mapped_inputs(pos_integer()) -> [[term()]].
mapped_inputs(N) ->
    Edges = mapped_edges(),
    Random = [case rand:uniform(6) of
                  1 -> bad_ip_term();
                  2 -> negative_tuple();
                  _ -> random_ip_tuple()
              end || _ <- lists:seq(1, max(N - length(Edges), N div 2))],
    [[T] || T <- Edges ++ Random].

%% All-integer tuples with negative (sometimes huge) elements: the guard
%% (D1 bor ...) < 256 lets negatives through.
negative_tuple() ->
    T = random_ip_tuple(),
    lists:foldl(fun(_, Acc) ->
                        I = rand:uniform(tuple_size(Acc)),
                        V = case rand:uniform(3) of
                                1 -> -rand:uniform(300);
                                2 -> -rand:uniform(1 bsl 20);
                                3 -> -(1 bsl (60 + rand:uniform(80)))
                            end,
                        setelement(I, Acc, V)
                end, T, lists:seq(1, rand:uniform(3))).

%%====================================================================
%% Inputs: format_error/1
%%====================================================================

%% The atoms listed under POSIX ERROR CODES in the manual:
%% {ok, Atoms} | {error, Why}.
-spec manual_posix_atoms(file:filename() | undefined) ->
          {ok, [atom()]} | {error, term()}.
manual_posix_atoms(undefined) ->
    {error, no_root};
manual_posix_atoms(File) ->
    case file:read_file(File) of
        {ok, Bin} ->
            case binary:split(Bin, <<"POSIX ERROR CODES">>) of
                [_, Section] ->
                    {match, Ms} = re:run(Section,
                                         "^\\s*([a-z][a-z0-9_]*) - ",
                                         [multiline, global,
                                          {capture, all_but_first, list}]),
                    case [list_to_atom(A) || [A] <- Ms] of
                        [] -> {error, {no_atoms_in_section, File}};
                        Atoms -> {ok, Atoms}
                    end;
                _ ->
                    {error, {no_posix_section, File}}
            end;
        {error, Why} ->
            {error, {File, Why}}
    end.

%% The same list, for when the manual cannot be read.
-spec fallback_posix_atoms() -> [atom()].
fallback_posix_atoms() ->
    [e2big, eacces, eaddrinuse, eaddrnotavail, eadv, eafnosupport, eagain,
     ealign, ealready, ebade, ebadf, ebadfd, ebadmsg, ebadr, ebadrpc,
     ebadrqc, ebadslt, ebfont, ebusy, echild, echrng, ecomm, econnaborted,
     econnrefused, econnreset, edeadlk, edeadlock, edestaddrreq, edirty, edom,
     edotdot, edquot, eduppkg, eexist, efault, efbig, ehostdown, ehostunreach,
     eidrm, einit, einprogress, eintr, einval, eio, eisconn, eisdir, eisnam,
     el2hlt, el2nsync, el3hlt, el3rst, elbin, elibacc, elibbad, elibexec,
     elibmax, elibscn, elnrng, eloop, emfile, emlink, emsgsize, emultihop,
     enametoolong, enavail, enet, enetdown, enetreset, enetunreach, enfile,
     enoano, enobufs, enocsi, enodata, enodev, enoent, enoexec, enolck,
     enolink, enomem, enomsg, enonet, enopkg, enoprotoopt, enospc, enosr,
     enosym, enosys, enotblk, enotconn, enotdir, enotempty, enotnam, enotsock,
     enotsup, enotty, enotuniq, enxio, eopnotsupp, eperm, epfnosupport, epipe,
     eproclim, eprocunavail, eprogmismatch, eprogunavail, eproto,
     eprotonosupport, eprototype, erange, erefused, eremchg, eremdev, eremote,
     eremoteio, eremoterelease, erofs, erpcmismatch, erremote, eshutdown,
     esocktnosupport, espipe, esrch, esrmnt, estale, esuccess, etime,
     etimedout, etoomanyrefs, etxtbsy, euclean, eunatch, eusers, eversion,
     ewouldblock, exdev, exfull, nxdomain].

%% The manual's atoms plus the posix() type's, the special ones, the
%% resolver's, unknown atoms and non-atoms.
-spec format_error_inputs([atom()]) -> [[term()]].
format_error_inputs(ManualAtoms) ->
    PosixType = [eaddrinuse, eaddrnotavail, eafnosupport, ealready,
                 econnaborted, econnrefused, econnreset, edestaddrreq,
                 ehostdown, ehostunreach, einprogress, eisconn, emsgsize,
                 enetdown, enetunreach, enopkg, enoprotoopt, enotconn, enotty,
                 enotsock, eproto, eprotonosupport, eprototype,
                 esocktnosupport, etimedout, ewouldblock, exbadport, exbadseq],
    FilePosix = [eacces, eagain, ebadf, ebadmsg, ebusy, edeadlk, edeadlock,
                 edquot, eexist, efault, efbig, eftype, eintr, einval, eio,
                 eisdir, eloop, emfile, emlink, emultihop, enametoolong,
                 enfile, enobufs, enodev, enolck, enolink, enoent, enomem,
                 enospc, enosr, enostr, enosys, enotblk, enotdir, enotsup,
                 enxio, eopnotsupp, eoverflow, eperm, epipe, erange, erofs,
                 espipe, esrch, estale, etxtbsy, exdev],
    Special = [system_limit, exbadport, exbadseq],
    Resolver = [nxdomain, formerr, qfmterror, servfail, notimp, refused,
                badvers, timeout, einval, noname, enotfound, nodata,
                no_recovery, try_again, badarg, badrpc, closed, emsgsize],
    Unknown = [foo, undefined, ok, error, true, false, nil, 'EINVAL', 'E2BIG',
               '', ' ', 'einval ', e, ex, exbad, exbadport2, 'e2big\n',
               'système', 'ä', unknown, enoerror, eaddrinuse_, posix],
    NonAtoms = [0, 1, -1, 22, 1 bsl 70, 1.0, "einval", "", <<"einval">>, <<>>,
                {error, einval}, {einval}, [einval], [], {}, #{}, self(),
                make_ref(), fun erlang:abs/1, [$e | inval]],
    [[T] || T <- ManualAtoms ++ PosixType ++ FilePosix ++ Special ++ Resolver ++
                Unknown ++ NonAtoms].

%%====================================================================
%% Mixed calls, for concurrency runs
%%====================================================================

%% {Function, Args} for one random call to a served inet function.
-spec random_call() -> {atom(), list()}.
random_call() ->
    case rand:uniform(12) of
        1 -> {parse_address, [random_parse_input()]};
        2 -> {parse_strict_address, [random_parse_input()]};
        3 -> {parse_ipv4_address, [random_parse_input()]};
        4 -> {parse_ipv4strict_address, [random_parse_input()]};
        5 -> {parse_ipv6_address, [random_parse_input()]};
        6 -> {parse_ipv6strict_address, [random_parse_input()]};
        7 -> {ntoa, [random_ip_tuple()]};
        8 -> {ntoa, [bad_ip_term()]};
        9 -> {ipv4_mapped_ipv6_address, [random_ip_tuple()]};
        10 -> {ipv4_mapped_ipv6_address, [negative_tuple()]};
        11 -> {format_error, [pick(fallback_posix_atoms() ++
                                       [system_limit, foo, 1, "x"])]};
        12 -> {parse_address, [pick(parse_edge_strings() ++
                                        parse_non_strings())]}
    end.

%%====================================================================
%% The shapes of other call paths
%%====================================================================
%%
%% What the caller of rpc:call/4,5 and erpc:call/4,5 gets is OTP's business
%% (rpc:rpcify_exception/2, erpc:result/4); the suites take it from the
%% oracle, never from here. For reading a report: erpc's outcomes, as
%% erpc_outcome/1 writes them, are {ok, V}, {error, {exception, R, St}},
%% {exit, {exception, R}}, {throw, V}, and what erpc raises itself:
%% {error, {erpc, timeout | noconnection | system_limit | ...}},
%% {exit, {signal, Reason}}.

%% M:F(Args) on Node through erpc:call/5, as {Class, Reason} or {ok, V}.
-spec remote_erpc(node(), module(), atom(), list(), timeout()) ->
          {atom(), term()}.
remote_erpc(Node, M, F, Args, Timeout) ->
    erpc_outcome(fun() -> erpc:call(Node, M, F, Args, Timeout) end).

%% The outcome of Fun() as {ok, Value} or {Class, Reason}.
-spec erpc_outcome(fun(() -> term())) -> {atom(), term()}.
erpc_outcome(Fun) ->
    try Fun() of
        V -> {ok, V}
    catch
        Class:R -> {Class, R}
    end.

%% The stack of an error exception (a list of stack frames) as '$stack'.
-spec canon_erpc(term()) -> term().
canon_erpc({error, {exception, R, [_ | _] = St}} = T) ->
    case is_stacktrace(St) of
        true -> {error, {exception, R, '$stack'}};
        false -> T
    end;
canon_erpc(T) ->
    T.

-spec same_erpc(term(), term()) -> boolean().
same_erpc(Beam, Jinet) ->
    canon_erpc(Beam) =:= canon_erpc(Jinet).

%% As compare/4, through erpc:call/5 to the oracle and to Node, both as
%% erpc_outcome/1 gives them.
-spec compare_erpc(atom() | {module(), atom()}, [list()], node(),
                   string() | undefined) -> [mismatch()].
compare_erpc(F, ArgsList, Node, Label) when is_atom(F) ->
    compare_erpc({inet, F}, ArgsList, Node, Label);
compare_erpc({M, F}, ArgsList, Node, Label) ->
    Oracle = oracle(),
    Results = [{Args, remote_erpc(Oracle, M, F, Args, ?CALL_TIMEOUT),
                remote_erpc(Node, M, F, Args, ?CALL_TIMEOUT)}
               || Args <- ArgsList],
    Mismatches = [#{mfa => {M, F, Args}, beam => L, jinet => R}
                  || {Args, L, R} <- Results, not same_erpc(L, R)],
    Key = case Label of
              undefined -> fun(Args) -> label(M, F, length(Args)) end;
              _ -> fun(_) -> Label end
          end,
    Counts = lists:foldl(
               fun({Args, L, R}, Acc) ->
                       Same = case same_erpc(L, R) of true -> 1; false -> 0 end,
                       maps:update_with(Key(Args),
                                        fun({T, S}) -> {T + 1, S + Same} end,
                                        {1, Same}, Acc)
               end, #{}, Results),
    maps:foreach(fun(K, {T, S}) -> record(K, T, S) end, Counts),
    Mismatches.

%% A fresh, empty stats table: a table left by an earlier suite (whose
%% owner may still be on its way out after stats_stop/0) goes first.
-spec stats_restart() -> ok.
stats_restart() ->
    ok = stats_stop_sync(),
    stats_start().

%% stats_stop/0, returning once the table is gone (at most 5 s).
-spec stats_stop_sync() -> ok.
stats_stop_sync() ->
    case ets:info(?STATS, owner) of
        undefined ->
            ok;
        Owner ->
            Ref = erlang:monitor(process, Owner),
            Owner ! stop,
            receive
                {'DOWN', Ref, process, Owner, _} -> ok
            after 5000 ->
                    erlang:demonitor(Ref, [flush]),
                    exit(Owner, kill),
                    ok
            end
    end.

%% format_summary/1 with a first column KeyWidth characters wide.
-spec format_summary([{string(), non_neg_integer(), non_neg_integer()}],
                     pos_integer()) -> iolist().
format_summary(Rows, KeyWidth) ->
    {T, I} = lists:foldl(fun({_, A, B}, {X, Y}) -> {X + A, Y + B} end,
                         {0, 0}, Rows),
    W = integer_to_list(KeyWidth),
    Line = io_lib:format("~-" ++ W ++ "s ~9s ~9s~n",
                         ["function", "cases", "identical"]),
    Sep = [lists:duplicate(KeyWidth + 20, $-), $\n],
    [Line, Sep,
     [io_lib:format("~-" ++ W ++ "ts ~9b ~9b~ts~n",
                    [K, A, B, case A =:= B of true -> ""; false -> "  <--" end])
      || {K, A, B} <- Rows],
     Sep, io_lib:format("~-" ++ W ++ "s ~9b ~9b~n", ["total", T, I])].

%%====================================================================
%% Pairs: a BEAM oracle and the node under test, started alike
%%====================================================================

%% A BEAM peer with start_node/1's options (args, env, wrap, quiet, ...),
%% whatever $JINET_STANDIN and $JINET_NODE say.
-spec start_beam(map()) -> {ok, handle()} | {error, term()}.
start_beam(Opts) ->
    start_node(Opts#{standin => beam, use_env => false}).

%% Starts, side by side, a BEAM peer (start_beam/1) and the node under test
%% (start_node/1: bin/jinet, or a second BEAM peer with JINET_STANDIN=beam)
%% with the same options, so both see the same configuration. $JINET_NODE
%% is ignored unless use_env => true is given (a running node cannot take
%% the options). {ok, #{beam := Handle, jinet := Handle}}, or an error
%% after stopping whichever of the two did start.
-spec start_pair(map()) -> {ok, #{beam := handle(), jinet := handle()}} |
          {error, term()}.
start_pair(Opts) ->
    [B, J] = parallel([fun() -> start_beam(Opts) end,
                       fun() -> start_node(maps:merge(#{use_env => false},
                                                      Opts))
                       end]),
    case {B, J} of
        {{ok, {ok, HB}}, {ok, {ok, HJ}}} ->
            {ok, #{beam => HB, jinet => HJ}};
        _ ->
            [catch stop_node(H) || {ok, {ok, H}} <- [B, J]],
            {error, #{beam => B, jinet => J}}
    end.

%% Stops both nodes of a pair, side by side.
-spec stop_pair(#{beam := handle(), jinet := handle()}) -> {ok, map()}.
stop_pair(#{beam := HB, jinet := HJ}) ->
    [B, J] = parallel([fun() -> stop_node(HB) end,
                       fun() -> stop_node(HJ) end]),
    {ok, #{beam => B, jinet => J}}.

%% Each {F, Args} (inet:F) or {M, F, Args} of Calls evaluated on Node, in
%% order, one after the other, through rpc:call/5: the answers in the shape
%% rex gives.
-spec remote_calls(node(), [{atom(), list()} | {module(), atom(), list()}]) ->
          [term()].
remote_calls(Node, Calls) ->
    [remote({call, Node, ?CALL_TIMEOUT}, M, F, A)
     || {M, F, A} <- [norm_call(C) || C <- Calls]].

%% Runs Calls (as remote_calls/2) on the BEAM oracle and on the node under
%% test, the two sequences side by side, and compares the answers call by
%% call (canon/1: an error's stack aside). Counts go to the stats table
%% under Label; returns the mismatches (mfa, beam, jinet).
-spec compare_nodes([{atom(), list()} | {module(), atom(), list()}],
                    node(), node(), string()) -> [mismatch()].
compare_nodes(Calls, BeamNode, JinetNode, Label) ->
    element(1, compare_nodes_results(Calls, BeamNode, JinetNode, Label)).

%% As compare_nodes/4, also returning every answer, in the calls' order:
%% {Mismatches, [{{M, F, Args}, BeamAnswer, JinetAnswer}]}.
-spec compare_nodes_results([{atom(), list()} | {module(), atom(), list()}],
                            node(), node(), string()) ->
          {[mismatch()], [{{module(), atom(), list()}, term(), term()}]}.
compare_nodes_results(Calls, BeamNode, JinetNode, Label) ->
    compare_nodes_results(Calls, BeamNode, JinetNode, Label,
                          fun(_, _, Answer) -> Answer end).

%% As compare_nodes_results/4, the two answers to the I-th call (counting
%% from 1) being compared as Canon(I, {M, F, Args}, Answer), e.g. to ignore
%% an order that BEAM itself does not keep from one node to the next.
%% Mismatches show the answers as they were.
-spec compare_nodes_results([{atom(), list()} | {module(), atom(), list()}],
                            node(), node(), string(),
                            fun((pos_integer(), {module(), atom(), list()},
                                 term()) -> term())) ->
          {[mismatch()], [{{module(), atom(), list()}, term(), term()}]}.
compare_nodes_results(Calls, BeamNode, JinetNode, Label, Canon) ->
    MFAs = [norm_call(C) || C <- Calls],
    [{ok, Bs}, {ok, Js}] = parallel([fun() -> remote_calls(BeamNode, MFAs) end,
                                     fun() -> remote_calls(JinetNode, MFAs) end]),
    Results = lists:zip3(MFAs, Bs, Js),
    Mismatches = [#{mfa => MFA, beam => B, jinet => J}
                  || {I, {MFA, B, J}} <- lists:zip(lists:seq(1, length(Results)),
                                                   Results),
                     not same(Canon(I, MFA, B), Canon(I, MFA, J))],
    record(Label, length(Results), length(Results) - length(Mismatches)),
    {Mismatches, Results}.

%% An environment (start_node/1's env) in which the locale variables are
%% exactly Set: every LANG and LC_* this node has, and Set does not name, is
%% unset. A node's file name encoding follows it (file:native_name_encoding/0).
-spec locale_env([{string(), string()}]) -> [{string(), string() | false}].
locale_env(Set) ->
    Inherited = [V || E <- os:getenv(), [V, _] <- [string:split(E, "=")],
                      V =:= "LANG" orelse lists:prefix("LC_", V)],
    [{V, false} || V <- lists:usort(Inherited), not lists:keymember(V, 1, Set)]
        ++ Set.

norm_call({F, A}) when is_atom(F), is_list(A) -> {inet, F, A};
norm_call({M, F, A}) when is_atom(M), is_atom(F), is_list(A) -> {M, F, A}.

%% Every message that arrives until none has for Quiet ms, in order.
receive_all(Quiet) ->
    receive M -> [M | receive_all(Quiet)]
    after Quiet -> []
    end.

%% Drops every message already in the mailbox.
flush() ->
    receive _ -> flush() after 0 -> ok end.

%% Runs the funs in processes of their own, side by side:
%% [{ok, Value} | {'EXIT', Reason}] in the funs' order.
parallel(Funs) ->
    Started = [spawn_monitor(fun() -> exit({done, F()}) end) || F <- Funs],
    [receive
         {'DOWN', Mon, process, Pid, {done, V}} -> {ok, V};
         {'DOWN', Mon, process, Pid, Reason} -> {'EXIT', Reason}
     end || {Pid, Mon} <- Started].

%%--------------------------------------------------------------------
%% The frame of a differential suite against one node
%%--------------------------------------------------------------------

%% init_per_suite/1 of a suite that compares one node with BEAM: logs the
%% seed, starts the stats table, the oracle (oracle_start/1) and the node
%% under test. Returns the config with jinet (the handle), jnode, oracle
%% (its handle), onode, seed and root, or {fail, Reason}.
-spec suite_start(atom(), list()) -> list() | {fail, term()}.
suite_start(Suite, Config) ->
    Seed = seed(),
    Root = root(Config),
    say("~s: seed ~p (rerun with JINET_SEED=~p), root ~ts",
        [Suite, Seed, Seed, Root]),
    ok = stats_restart(),
    T0 = erlang:monotonic_time(millisecond),
    LogDir = proplists:get_value(priv_dir, Config),
    [O, J] = parallel([fun() -> oracle_start(#{log_dir => LogDir}) end,
                       fun() -> start_node(#{root => Root, log_dir => LogDir})
                       end]),
    case {O, J} of
        {{ok, {ok, Oracle = #{node := ONode}}},
         {ok, {ok, Handle = #{node := Node, kind := Kind}}}} ->
            say("~s: testing ~p node ~p against BEAM oracle ~p (up in ~b ms)",
                [Suite, Kind, Node, ONode,
                 erlang:monotonic_time(millisecond) - T0]),
            [{jinet, Handle}, {jnode, Node}, {oracle, Oracle},
             {onode, ONode}, {seed, Seed}, {root, Root} | Config];
        _ ->
            [catch oracle_stop(H) || {ok, {ok, H}} <- [O]],
            [catch stop_node(H) || {ok, {ok, H}} <- [J]],
            stats_stop_sync(),
            say("~s: no node to test, or no oracle: ~tp", [Suite, {O, J}]),
            {fail, {not_started, #{oracle => O, jinet => J}}}
    end.

%% end_per_suite/1 of such a suite: stops the oracle and the node (warning
%% when EPMD still knows the node) and prints the summary table; Extra is
%% text for the heading.
-spec suite_end(atom(), list(), string()) -> ok.
suite_end(Suite, Config, Extra) ->
    Node = proplists:get_value(jnode, Config),
    {ok, OStop} = oracle_stop(proplists:get_value(oracle, Config)),
    {ok, Stop} = stop_node(proplists:get_value(jinet, Config)),
    log("node stopped: ~tp~noracle stopped: ~tp", [Stop, OStop]),
    case Stop of
        #{epmd := still_registered} ->
            say("~s: WARNING: ~p still registered in epmd", [Suite, Node]);
        _ -> ok
    end,
    Table = format_summary(summary(), 46),
    say("~n~s summary (node ~p, seed ~p~s):~n~ts",
        [Suite, Node, proplists:get_value(seed, Config), Extra, Table]),
    stats_stop_sync().

say(Format, Args) ->
    log(Format, Args),
    io:format(user, Format ++ "~n", Args).

%%--------------------------------------------------------------------
%% Scenarios compared structurally
%%--------------------------------------------------------------------

%% Checks: [{What, BEAM, jinet}], the same scenario run on a BEAM node and
%% on jinet (Nodes: their names, and other node names to blur), compared
%% after canon_pair/4 with pairing (stacks, node names, pids
%% and references: see there); and [{exact, What, Expected, Got}], where
%% Expected was built in this run (from jinet's own pids, names...) and Got
%% must hold those very terms (stacks aside). Every difference is logged and
%% printed, and fails the case.
verdict(Case, Nodes, Checks) ->
    Rows = [begin
                {CB, CR} = case Check of
                               {exact, _, B, R} -> canon_pair(B, R, [], false);
                               {_, B, R} -> canon_pair(B, R, Nodes, true)
                           end,
                {What, CB, CR, B, R}
            end || Check <- Checks,
                   {What, B, R} <- [case Check of
                                        {exact, W, E, G} -> {W, E, G};
                                        _ -> Check
                                    end]],
    Bad = [Row || {_, CB, CR, _, _} = Row <- Rows, CB =/= CR],
    record(atom_to_list(Case), length(Rows),
                      length(Rows) - length(Bad)),
    log("~p: ~b checks~n~ts",
                   [Case, length(Rows),
                    [io_lib:format("~ts~n  BEAM:  ~tP~n  jinet: ~tP~n",
                                   [W, B, 30, R, 30])
                     || {W, _, _, B, R} <- Rows]]),
    case Bad of
        [] ->
            ok;
        _ ->
            Text = [io_lib:format("~p: ~ts~n  BEAM:  ~ts~n  jinet: ~ts~n",
                                  [Case, W, show_term(CB), show_term(CR)])
                    || {W, CB, CR, _, _} <- Bad],
            io:format(user, "~n~ts", [Text]),
            log("~ts", [Text]),
            ct:fail({Case, length(Bad), differ_from_beam,
                     [W || {W, _, _, _, _} <- Bad]})
    end.

show_term(T) ->
    S = lists:flatten(io_lib:format("~tP", [T, 40])),
    case length(S) > 1500 of
        true -> lists:sublist(S, 1500) ++ "...";
        false -> S
    end.

%% The two sides of a check, canonicalised together so that they are equal
%% exactly when they have the same structure: stacks (lists of frames) ->
%% '$stack'; the names in Nodes -> '$node'; every pid and reference -> a
%% label {'$pid', N} / {'$ref', N}, N counting in order of first appearance
%% as both sides are walked in parallel. One term has one label, wherever
%% and on whichever side it appears. With Pair, two different terms that
%% first appear at the same position (one on each side, both new and neither
%% appearing on the other side at all: the peer's process and jinet's in the
%% same role) share a label, so a side equals the other when its pids and
%% references correspond one to one, position by position. Without Pair,
%% and for a term found on both sides, only the very same term gets the
%% same label.
canon_pair(B, R, Nodes, Pair) ->
    S0 = #{next => 1, b => #{}, r => #{},
           shared => maps:with(maps:keys(ids(R, #{})), ids(B, #{})),
           nodes => Nodes, pair => Pair},
    {CB, CR, _} = walk2(B, R, S0),
    {CB, CR}.

%% Pids and references in T, as the keys of a map.
ids(T, Acc) when is_pid(T); is_reference(T) -> Acc#{T => true};
ids([H | T], Acc) -> ids(T, ids(H, Acc));
ids(T, Acc) when is_tuple(T) -> ids(tuple_to_list(T), Acc);
ids(T, Acc) when is_map(T) -> ids(maps:to_list(T), Acc);
ids(_, Acc) -> Acc.

%% Both sides at the same position.
walk2(B, R, S) when (is_pid(B) andalso is_pid(R)) orelse
                    (is_reference(B) andalso is_reference(R)) ->
    Pairable = maps:get(pair, S) andalso B =/= R andalso
        not maps:is_key(B, maps:get(b, S)) andalso
        not maps:is_key(R, maps:get(r, S)) andalso
        not maps:is_key(B, maps:get(shared, S)) andalso
        not maps:is_key(R, maps:get(shared, S)),
    case Pairable of
        true ->
            #{next := N, b := LB, r := LR} = S,
            L = {id_kind(B), N},
            {L, L, S#{next := N + 1, b := LB#{B => L}, r := LR#{R => L}}};
        false ->
            {CB, S1} = pair_label(b, B, S),
            {CR, S2} = pair_label(r, R, S1),
            {CB, CR, S2}
    end;
walk2([_ | _] = B, [_ | _] = R, S) ->
    case {is_stacktrace(B), is_stacktrace(R)} of
        {true, true} -> {'$stack', '$stack', S};
        {false, false} -> walk2_list(B, R, S, [], []);
        _ -> walk2_apart(B, R, S)
    end;
walk2(B, R, S) when is_tuple(B), is_tuple(R), tuple_size(B) =:= tuple_size(R) ->
    {LB, LR, S1} = walk2_list(tuple_to_list(B), tuple_to_list(R), S, [], []),
    {list_to_tuple(LB), list_to_tuple(LR), S1};
walk2(B, R, S) when is_map(B), is_map(R), map_size(B) =:= map_size(R) ->
    {LB, LR, S1} = walk2_list(lists:sort(maps:to_list(B)),
                              lists:sort(maps:to_list(R)), S, [], []),
    {maps:from_list(LB), maps:from_list(LR), S1};
walk2(B, R, S) ->
    walk2_apart(B, R, S).

walk2_list([HB | TB], [HR | TR], S, AccB, AccR) ->
    {CB, CR, S1} = walk2(HB, HR, S),
    walk2_list(TB, TR, S1, [CB | AccB], [CR | AccR]);
walk2_list([], [], S, AccB, AccR) ->
    {lists:reverse(AccB), lists:reverse(AccR), S};
walk2_list(TB, TR, S, AccB, AccR) ->
    %% Different lengths, or improper tails.
    {CB, CR, S1} = walk2_apart(TB, TR, S),
    {lists:reverse(AccB) ++ CB, lists:reverse(AccR) ++ CR, S1}.

%% Shapes that differ: each side on its own (the check fails anyway).
walk2_apart(B, R, S) ->
    {CB, S1} = walk1(b, B, S),
    {CR, S2} = walk1(r, R, S1),
    {CB, CR, S2}.

walk1(Side, T, S) when is_pid(T); is_reference(T) ->
    pair_label(Side, T, S);
walk1(_Side, T, S) when is_atom(T) ->
    case lists:member(T, maps:get(nodes, S)) of
        true -> {'$node', S};
        false -> {T, S}
    end;
walk1(Side, [_ | _] = T, S) ->
    case is_stacktrace(T) of
        true -> {'$stack', S};
        false -> walk1_list(Side, T, S, [])
    end;
walk1(Side, T, S) when is_tuple(T) ->
    {L, S1} = walk1_list(Side, tuple_to_list(T), S, []),
    {list_to_tuple(L), S1};
walk1(Side, T, S) when is_map(T) ->
    {L, S1} = walk1_list(Side, lists:sort(maps:to_list(T)), S, []),
    {maps:from_list(L), S1};
walk1(_Side, T, S) ->
    {T, S}.

walk1_list(Side, [H | T], S, Acc) ->
    {C, S1} = walk1(Side, H, S),
    walk1_list(Side, T, S1, [C | Acc]);
walk1_list(_Side, [], S, Acc) ->
    {lists:reverse(Acc), S};
walk1_list(Side, Tail, S, Acc) ->
    {C, S1} = walk1(Side, Tail, S),
    {lists:reverse(Acc) ++ C, S1}.

%% Term T's label on Side: the one it has, else a new one (on both sides at
%% once for a term found on both sides, or without Pair).
pair_label(Side, T, S = #{next := N}) ->
    Mine = maps:get(Side, S),
    case Mine of
        #{T := L} ->
            {L, S};
        _ ->
            L = {id_kind(T), N},
            Both = maps:is_key(T, maps:get(shared, S)) orelse
                not maps:get(pair, S),
            S1 = case Both of
                     true -> S#{b := (maps:get(b, S))#{T => L},
                                r := (maps:get(r, S))#{T => L}};
                     false -> S#{Side := Mine#{T => L}}
                 end,
            {L, S1#{next := N + 1}}
    end.

id_kind(T) when is_pid(T) -> '$pid';
id_kind(_) -> '$ref'.
