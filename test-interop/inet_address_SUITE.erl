%% The address functions of inet, answered by jinet, compared with BEAM.
%%
%% Every comparison calls inet:F(Args) through rpc:block_call/5 on the
%% suite's BEAM oracle (a peer node) and on the jinet node, and requires the
%% two answers to be identical (error stacks excepted: only the reason
%% counts).
%% See jinet_diff for the shapes, the node handling and the environment
%% variables (JINET_HOME, JINET_NODE, JINET_STANDIN, JINET_SEED).
-module(inet_address_SUITE).

-include_lib("common_test/include/ct.hrl").

-export([suite/0, all/0, init_per_suite/1, end_per_suite/1,
         init_per_testcase/2, end_per_testcase/2]).
-export([manual_examples/1,
         parse_address/1, parse_strict_address/1, parse_ipv4_address/1,
         parse_ipv4strict_address/1, parse_ipv6_address/1,
         parse_ipv6strict_address/1, ntoa/1, ipv4_mapped_ipv6_address/1,
         format_error/1, gethostname/1, undef/1,
         client_exports/1, client_node/1, client_calls/1, client_errors/1,
         client_matches_erpc/1, concurrency/1]).

%% Inputs per function: at least 2,000 each; $JINET_INPUTS for more.
-define(N, inputs()).
-define(WORKERS, 64).
-define(CALLS_PER_WORKER, 200).

%% The inet functions of the manual's EXPORTS section.
-define(INET_API,
        [{close, 1}, {format_error, 1}, {get_rc, 0}, {getaddr, 2},
         {getaddrs, 2}, {gethostbyaddr, 1}, {gethostbyname, 1},
         {gethostbyname, 2}, {gethostname, 0}, {getifaddrs, 0},
         {getifaddrs, 1}, {getopts, 2}, {getstat, 1}, {getstat, 2}, {i, 0},
         {i, 1}, {i, 2}, {ntoa, 1}, {parse_address, 1},
         {parse_ipv4_address, 1}, {parse_ipv4strict_address, 1},
         {parse_ipv6_address, 1}, {parse_ipv6strict_address, 1},
         {ipv4_mapped_ipv6_address, 1}, {parse_strict_address, 1},
         {peername, 1}, {peernames, 1}, {peernames, 2}, {port, 1},
         {setopts, 2}, {sockname, 1}, {socknames, 1}, {socknames, 2}]).

suite() ->
    [{timetrap, {minutes, 10}}].

all() ->
    [manual_examples,
     parse_address, parse_strict_address, parse_ipv4_address,
     parse_ipv4strict_address, parse_ipv6_address, parse_ipv6strict_address,
     ntoa, ipv4_mapped_ipv6_address, format_error, gethostname, undef,
     client_exports, client_node, client_calls, client_errors,
     client_matches_erpc, concurrency].

%%--------------------------------------------------------------------
%% Setup
%%--------------------------------------------------------------------

init_per_suite(Config) ->
    case jinet_diff:suite_start(?MODULE, Config) of
        Config1 when is_list(Config1) ->
            log_links(?config(jinet, Config1)),
            Config1;
        Fail ->
            Fail
    end.

end_per_suite(Config) ->
    jinet_diff:suite_end(?MODULE, Config, "").

init_per_testcase(Case, Config) ->
    jinet_diff:seed_process(?config(seed, Config), Case),
    case atom_to_list(Case) of
        "client_" ++ _ -> ok = application:set_env(jinet, node,
                                                    ?config(jnode, Config));
        _ -> ok
    end,
    Config.

end_per_testcase(_Case, _Config) ->
    ok = application:unset_env(jinet, node).

%%--------------------------------------------------------------------
%% The manual's examples, literally
%%--------------------------------------------------------------------

manual_examples(Config) ->
    Node = ?config(jnode, Config),
    Oracle = ?config(onode, Config),
    Examples =
        [{parse_address, ["192.168.42.2"], {ok, {192, 168, 42, 2}}},
         {parse_address, ["::FFFF:192.168.42.2"],
          {ok, {0, 0, 0, 0, 0, 65535, 49320, 10754}}},
         {parse_address, ["150.236.20.73"], {ok, {150, 236, 20, 73}}},
         %% The address table
         {parse_address, ["127.0.0.1"], {ok, {127, 0, 0, 1}}},
         {parse_address, ["::1"], {ok, {0, 0, 0, 0, 0, 0, 0, 1}}},
         {parse_address, ["::192.168.42.2"],
          {ok, {0, 0, 0, 0, 0, 0, (192 bsl 8) bor 168, (42 bsl 8) bor 2}}},
         {parse_address, ["3ffe:b80:1f8d:2:204:acff:fe17:bf38"],
          {ok, {16#3ffe, 16#b80, 16#1f8d, 16#2, 16#204, 16#acff, 16#fe17,
                16#bf38}}},
         {parse_address, ["fe80::204:acff:fe17:bf38"],
          {ok, {16#fe80, 0, 0, 0, 16#204, 16#acff, 16#fe17, 16#bf38}}},
         {parse_ipv6_address, ["192.168.42.2"],
          {ok, {0, 0, 0, 0, 0, 16#ffff, 16#c0a8, 16#2a02}}},
         {parse_ipv4strict_address, ["127.1"], {error, einval}},
         {parse_ipv4_address, ["127.1"], {ok, {127, 0, 0, 1}}},
         {parse_ipv6strict_address, ["192.168.42.2"], {error, einval}},
         {parse_strict_address, ["127.1"], {error, einval}},
         %% And back
         {ntoa, [{127, 0, 0, 1}], "127.0.0.1"},
         {ntoa, [{192, 168, 42, 2}], "192.168.42.2"},
         {ntoa, [{0, 0, 0, 0, 0, 0, 0, 1}], "::1"},
         {ntoa, [{0, 0, 0, 0, 0, 0, (192 bsl 8) bor 168, (42 bsl 8) bor 2}],
          "::192.168.42.2"},
         {ntoa, [{0, 0, 0, 0, 0, 16#FFFF, (192 bsl 8) bor 168,
                  (42 bsl 8) bor 2}], "::ffff:192.168.42.2"},
         {ntoa, [{16#3ffe, 16#b80, 16#1f8d, 16#2, 16#204, 16#acff, 16#fe17,
                  16#bf38}], "3ffe:b80:1f8d:2:204:acff:fe17:bf38"},
         {ntoa, [{16#fe80, 0, 0, 0, 16#204, 16#acff, 16#fe17, 16#bf38}],
          "fe80::204:acff:fe17:bf38"},
         {ipv4_mapped_ipv6_address, [{192, 168, 42, 2}],
          {0, 0, 0, 0, 0, 16#ffff, 16#c0a8, 16#2a02}},
         {ipv4_mapped_ipv6_address, [{0, 0, 0, 0, 0, 16#ffff, 16#c0a8,
                                      16#2a02}], {192, 168, 42, 2}}],
    Bad = [{F, Args, Expected, Local, Got}
           || {F, Args, Expected} <- Examples,
              Local <- [rpc:block_call(Oracle, inet, F, Args, 30000)],
              Got <- [rpc:block_call(Node, inet, F, Args, 30000)],
              Local =/= Expected orelse Got =/= Expected],
    jinet_diff:record("manual examples", length(Examples),
                      length(Examples) - length(Bad)),
    case Bad of
        [] -> ok;
        _ ->
            Text = [io_lib:format("inet:~p~tp~n  manual: ~tp~n  BEAM:   ~tp~n"
                                  "  jinet:  ~tp~n",
                                  [F, list_to_tuple(Args), E, L, G])
                    || {F, Args, E, L, G} <- Bad],
            jinet_diff:log("~ts", [Text]),
            io:format(user, "~nmanual_examples:~n~ts", [Text]),
            ct:fail({manual_examples, length(Bad)})
    end.

%%--------------------------------------------------------------------
%% Parsing
%%--------------------------------------------------------------------

parse_address(Config) -> parse_case(parse_address, Config).
parse_strict_address(Config) -> parse_case(parse_strict_address, Config).
parse_ipv4_address(Config) -> parse_case(parse_ipv4_address, Config).
parse_ipv4strict_address(Config) ->
    parse_case(parse_ipv4strict_address, Config).
parse_ipv6_address(Config) -> parse_case(parse_ipv6_address, Config).
parse_ipv6strict_address(Config) ->
    parse_case(parse_ipv6strict_address, Config).

parse_case(F, Config) ->
    diff(F, Config, F, jinet_diff:parse_inputs(?N)).

%%--------------------------------------------------------------------
%% Tuples
%%--------------------------------------------------------------------

ntoa(Config) ->
    diff(ntoa, Config, ntoa, jinet_diff:ntoa_inputs(?N)).

ipv4_mapped_ipv6_address(Config) ->
    diff(ipv4_mapped_ipv6_address, Config, ipv4_mapped_ipv6_address,
         jinet_diff:mapped_inputs(?N)).

%%--------------------------------------------------------------------
%% format_error/1 and gethostname/0
%%--------------------------------------------------------------------

format_error(Config) ->
    Manual = jinet_diff:manual_path(?config(root, Config)),
    Atoms =
        case jinet_diff:manual_posix_atoms(Manual) of
            {ok, As} ->
                ct:log("~b POSIX atoms from ~ts", [length(As), Manual]),
                Missing = jinet_diff:fallback_posix_atoms() -- As,
                Missing =:= [] orelse
                    ct:log("embedded atoms not in the manual: ~p", [Missing]),
                As;
            {error, Why} ->
                say("format_error: cannot take the POSIX atoms from the "
                    "manual (~tp); using the list embedded in jinet_diff",
                    [Why]),
                jinet_diff:fallback_posix_atoms()
        end,
    diff(format_error, Config, format_error,
         jinet_diff:format_error_inputs(Atoms)).

gethostname(Config) ->
    diff(gethostname, Config, gethostname, [[]]).

%%--------------------------------------------------------------------
%% Functions the node does not serve
%%--------------------------------------------------------------------

undef(Config) ->
    Node = ?config(jnode, Config),
    Calls = [{inet, nosuch, [1]}, {inet, nosuch, []},
             {nosuchmod, f, []}, {nosuchmod, parse_address, ["1.2.3.4"]},
             {inet, parse_address, []}, {inet, parse_address, ["1", "2"]},
             {inet, ntoa, [{1, 2, 3, 4}, x]}, {inet, gethostname, [x, y, z]}],
    Mismatches = lists:append(
                   [jinet_diff:compare({M, F}, [A], transport(Config),
                                       "undef (unserved functions)")
                    || {M, F, A} <- Calls]),
    %% Beyond the reason: the first frame names the call, on both sides.
    Frames = [{M, F, A, Got}
              || {M, F, A} <- Calls,
                 Got <- [rpc:block_call(Node, M, F, A, 30000)],
                 not first_frame_is(Got, {M, F, A, []})],
    Frames =:= [] orelse jinet_diff:log("undef answers whose first frame is not "
                                "{M,F,Args,[]}: ~tp", [Frames]),
    jinet_diff:report(ctx(undef, Config), Mismatches),
    [] = Frames,
    ok.

first_frame_is({badrpc, {'EXIT', {undef, [Frame | _]}}}, Frame) -> true;
first_frame_is(_, _) -> false.

%%--------------------------------------------------------------------
%% The jinet client module
%%--------------------------------------------------------------------

client_exports(Config) ->
    {module, jinet} = code:ensure_loaded(jinet),
    NotExported = [FA || {F, A} = FA <- ?INET_API ++ [{node, 0}, {call, 3}],
                         not erlang:function_exported(jinet, F, A)],
    NotInInet = [FA || {F, A} = FA <- ?INET_API,
                       not erlang:function_exported(inet, F, A)],
    %% Every function head in the manual's EXPORTS section has a jinet
    %% function of that name.
    FromManual =
        case file:read_file(jinet_diff:manual_path(?config(root, Config))) of
            {ok, Bin} ->
                [_, AfterExports] = binary:split(Bin, <<"\nEXPORTS\n">>),
                [Section | _] = binary:split(AfterExports,
                                             <<"POSIX ERROR CODES">>),
                %% A function head is a paragraph "name(...) -> ...".
                Paragraphs = re:split(Section, "\n[ \t]*\n",
                                      [{return, list}]),
                Head = "^\\s*([a-z][a-z0-9_]*)\\(",
                Heads = [N || P <- Paragraphs,
                              {match, [N]} <- [re:run(P, Head,
                                                      [{capture, all_but_first,
                                                        list}])],
                              string:find(P, "->") =/= nomatch],
                %% get_tcpi_sacked/1 is the manual's example, not inet's.
                lists:usort([list_to_atom(N) || N <- Heads]) --
                    [get_tcpi_sacked];
            {error, Why} ->
                say("client_exports: manual not readable (~p); checking the "
                    "embedded list only", [Why]),
                []
        end,
    Names = lists:usort([F || {F, _} <- ?INET_API]),
    MissingNames = FromManual -- Names,
    ct:log("manual EXPORTS names: ~p~nnot in the manual: ~p",
           [FromManual, Names -- FromManual]),
    {[], [], []} = {NotExported, NotInInet, MissingNames},
    true = FromManual =:= [] orelse length(FromManual) >= 25,
    ok.

client_node(Config) ->
    JNode = ?config(jnode, Config),
    Saved = os:getenv("JINET_NODE"),
    [_, Host] = string:split(atom_to_list(node()), "@"),
    try
        JNode = jinet:node(),
        ok = application:set_env(jinet, node, undefined),
        os:putenv("JINET_NODE", "jinet_x@somehost"),
        'jinet_x@somehost' = jinet:node(),
        ok = application:unset_env(jinet, node),
        'jinet_x@somehost' = jinet:node(),
        os:unsetenv("JINET_NODE"),
        Default = list_to_atom("jinet@" ++ Host),
        Default = jinet:node(),
        os:putenv("JINET_NODE", ""),
        Default = jinet:node(),
        ok
    after
        case Saved of
            false -> os:unsetenv("JINET_NODE");
            _ -> os:putenv("JINET_NODE", Saved)
        end
    end.

client_calls(Config) ->
    JNode = ?config(jnode, Config),
    JNode = jinet:node(),
    {ok, {192, 168, 42, 2}} = jinet:parse_address("192.168.42.2"),
    {ok, {0, 0, 0, 0, 0, 65535, 49320, 10754}} =
        jinet:parse_address("::FFFF:192.168.42.2"),
    Same = [{F, A, L, R}
            || {F, A} <- [{parse_address, ["1.2.3.4"]},
                          {parse_address, ["fe80::1%025"]},
                          {parse_strict_address, ["127.1"]},
                          {parse_ipv4_address, ["0x7f.1"]},
                          {parse_ipv4strict_address, ["1.2.3.4"]},
                          {parse_ipv6_address, ["1.2.3.4"]},
                          {parse_ipv6strict_address, ["::ffff:1.2.3.4"]},
                          {ntoa, [{127, 0, 0, 1}]},
                          {ntoa, [{16#fe80, 3, 0, 0, 0, 0, 0, 1}]},
                          {ntoa, [{1, 2, 3}]},
                          {ipv4_mapped_ipv6_address, [{1, 2, 3, 4}]},
                          {format_error, [einval]},
                          {format_error, [system_limit]},
                          {gethostname, []}],
               L <- [apply(inet, F, A)],
               R <- [apply(jinet, F, A)],
               L =/= R],
    [] = Same,
    "::1" = jinet:ntoa({0, 0, 0, 0, 0, 0, 0, 1}),
    {ok, {0, 0, 0, 0, 0, 0, 0, 1}} = jinet:call(JNode, parse_address, ["::1"]),
    {error, einval} = jinet:call(JNode, parse_address, ["1.2.3.4.5"]),
    ok.

client_errors(Config) ->
    JNode = ?config(jnode, Config),
    %% Raised like inet raises them.
    Raises = [{ipv4_mapped_ipv6_address, [foo]},
              {ipv4_mapped_ipv6_address, [{1.0, 2, 3, 4}]},
              {parse_address, [[$1 | foo]]},
              {parse_ipv4_address, [foo]},
              {parse_ipv6strict_address, ["fe80::1%" ++ [$a | b]]}],
    Diff = [{F, A, L, R}
            || {F, A} <- Raises,
               L <- [outcome(fun() -> apply(inet, F, A) end)],
               R <- [outcome(fun() -> apply(jinet, F, A) end)],
               L =/= R],
    [] = Diff,
    {error, function_clause} =
        outcome(fun() -> jinet:ipv4_mapped_ipv6_address(foo) end),
    %% Not served: undef, as the node answers, with the node's stack.
    {error, undef} = outcome(fun() -> jinet:call(JNode, nosuch, [1]) end),
    try jinet:call(JNode, nosuch, [1]) of
        V -> ct:fail({no_exception, V})
    catch
        error:undef:St -> [{inet, nosuch, [1], _} | _] = St
    end,
    {error, undef} = outcome(fun() -> jinet:call(JNode, parse_address,
                                                 []) end),
    %% No such node.
    [_, Host] = string:split(atom_to_list(node()), "@"),
    Gone = list_to_atom("jinet_nosuch_" ++ os:getpid() ++ "@" ++ Host),
    {error, {jinet, Gone, noconnection}} =
        outcome(fun() -> jinet:call(Gone, parse_address, ["1.2.3.4"]) end),
    ok.

%% Each jinet function does what its erpc answer says: the same value, or the
%% same exception (with the node's stack for errors).
client_matches_erpc(Config) ->
    JNode = ?config(jnode, Config),
    Calls = [{close, [foo]}, {format_error, [einval]}, {get_rc, []},
             {getaddr, ["localhost", inet]}, {getaddrs, ["localhost", inet]},
             {gethostbyaddr, ["127.0.0.1"]}, {gethostbyname, ["localhost"]},
             {gethostbyname, ["localhost", inet]}, {gethostname, []},
             {getifaddrs, []}, {getifaddrs, [[]]}, {getopts, [foo, [active]]},
             {getstat, [foo]}, {getstat, [foo, [recv_cnt]]}, {i, []},
             {i, [tcp]}, {i, [tcp, [port]]}, {ntoa, [{1, 2, 3, 4}]},
             {ntoa, [foo]}, {parse_address, ["1.2.3.4"]},
             {parse_address, [foo]}, {parse_ipv4_address, ["1.2.3.4"]},
             {parse_ipv4strict_address, ["1.2.3.4"]},
             {parse_ipv6_address, ["::1"]}, {parse_ipv6strict_address, ["::1"]},
             {ipv4_mapped_ipv6_address, [{1, 2, 3, 4}]},
             {ipv4_mapped_ipv6_address, [foo]},
             {parse_strict_address, ["1.2.3.4"]}, {peername, [foo]},
             {peernames, [foo]}, {peernames, [foo, 0]}, {port, [foo]},
             {setopts, [foo, []]}, {sockname, [foo]}, {socknames, [foo]},
             {socknames, [foo, 0]}],
    %% Same list as the API, so that none is forgotten here.
    [] = ?INET_API -- lists:usort([{F, length(A)} || {F, A} <- Calls]),
    Answers = [{F, A, erpc_answer(JNode, F, A),
                outcome_st(fun() -> apply(jinet, F, A) end)}
               || {F, A} <- Calls],
    jinet_diff:log("erpc answer and jinet client outcome:~n~tp", [Answers]),
    [] = [Bad || {_, _, Erpc, Got} = Bad <- Answers,
                 expected(JNode, Erpc) =/= Got],
    ok.

erpc_answer(Node, F, A) ->
    try erpc:call(Node, inet, F, A, 30000) of
        V -> {value, V}
    catch
        error:{exception, R, St} -> {error, R, St};
        exit:{exception, R} -> {exit, R};
        throw:V -> {throw, V};
        Class:R -> {Class, R}
    end.

expected(Node, {error, {erpc, Why}}) -> {error, {jinet, Node, Why}, any};
expected(_Node, Answer) -> Answer.

outcome(Fun) ->
    try Fun() of
        V -> {value, V}
    catch
        Class:R -> {Class, R}
    end.

outcome_st(Fun) ->
    try Fun() of
        V -> {value, V}
    catch
        error:{jinet, _, _} = R -> {error, R, any};
        error:R:St -> {error, R, St};
        Class:R -> {Class, R}
    end.

%%--------------------------------------------------------------------
%% Concurrency
%%--------------------------------------------------------------------

concurrency(Config) ->
    Seed = ?config(seed, Config),
    Transport = transport(Config),
    Workers =
        [spawn_monitor(
           fun() ->
                   jinet_diff:seed_process(Seed, {concurrency, I}),
                   Calls = [jinet_diff:random_call()
                            || _ <- lists:seq(1, ?CALLS_PER_WORKER)],
                   exit({done, lists:append(
                                 [jinet_diff:compare(F, [Args], Transport)
                                  || {F, Args} <- Calls])})
           end) || I <- lists:seq(1, ?WORKERS)],
    Results = [receive {'DOWN', Ref, process, Pid, Why} -> Why end
               || {Pid, Ref} <- Workers],
    Crashed = [R || R <- Results, not is_tuple(R) orelse
                                      element(1, R) =/= done],
    Crashed =:= [] orelse ct:fail({workers_crashed, Crashed}),
    jinet_diff:report(ctx(concurrency, Config),
                      lists:append([Ms || {done, Ms} <- Results])).

%%--------------------------------------------------------------------
%% Helpers
%%--------------------------------------------------------------------

inputs() ->
    case os:getenv("JINET_INPUTS") of
        S when is_list(S), S =/= "" -> max(2000, list_to_integer(S));
        _ -> 2500
    end.

transport(Config) ->
    {block_call, ?config(jnode, Config)}.

ctx(Case, Config) ->
    #{'case' => Case, seed => ?config(seed, Config),
      priv_dir => ?config(priv_dir, Config)}.

diff(Case, Config, F, ArgsList) ->
    ct:log("~p: ~b inputs", [F, length(ArgsList)]),
    jinet_diff:report(ctx(Case, Config),
                      jinet_diff:compare(F, ArgsList, transport(Config))).

log_links(Handle) ->
    [ct:log("~p: <a href=\"file://~ts\">~ts</a>", [K, F, F])
     || K <- [stdout_log, stderr_log], F <- [maps:get(K, Handle, none)],
        F =/= none],
    ok.

%% To the CT log and to stdout.
say(Format, Args) ->
    jinet_diff:log(Format, Args),
    io:format(user, Format ++ "~n", Args).
