%% The address functions of inet through every call path jinet serves:
%% rpc:block_call/5 (rex), rpc:call/5 and erpc:call/5 (spawn_request),
%% each compared with the answer the suite's BEAM oracle (a peer node) gives
%% to the same call through the same path:
%%
%%   rpc:block_call  jinet_diff:compare/4, {block_call, Node, T}
%%   rpc:call        jinet_diff:compare/4, {call, Node, T}
%%   erpc:call       jinet_diff:compare_erpc/4: class and reason as raised
%%
%% Stacks are compared as "a list of stack frames" only (jinet's stack names
%% the call, BEAM's the parser's internals). The inputs of a function are the
%% same on every path (seeded by the case name). $JINET_PATH_INPUTS sets the
%% inputs per function (default 500; the parse functions also get every fixed
%% edge case of jinet_diff). See jinet_diff for JINET_SEED, JINET_NODE,
%% JINET_STANDIN, JINET_HOME.
-module(inet_address_paths_SUITE).

-include_lib("common_test/include/ct.hrl").

-export([suite/0, all/0, groups/0, init_per_suite/1, end_per_suite/1,
         init_per_group/2, end_per_group/2,
         init_per_testcase/2, end_per_testcase/2]).
-export([parse_address/1, parse_strict_address/1, parse_ipv4_address/1,
         parse_ipv4strict_address/1, parse_ipv6_address/1,
         parse_ipv6strict_address/1, ntoa/1, ipv4_mapped_ipv6_address/1,
         format_error/1, gethostname/1, undef/1]).

-define(PATHS, [block_call, call, erpc]).
-define(TIMEOUT, 30000).

suite() ->
    [{timetrap, {minutes, 5}}].

all() ->
    [{group, P} || P <- ?PATHS].

groups() ->
    Cases = [parse_address, parse_strict_address, parse_ipv4_address,
             parse_ipv4strict_address, parse_ipv6_address,
             parse_ipv6strict_address, ntoa, ipv4_mapped_ipv6_address,
             format_error, gethostname, undef],
    [{P, [], Cases} || P <- ?PATHS].

%%--------------------------------------------------------------------
%% Setup
%%--------------------------------------------------------------------

init_per_suite(Config) ->
    jinet_diff:suite_start(?MODULE, Config).

end_per_suite(Config) ->
    jinet_diff:suite_end(?MODULE, Config,
                         io_lib:format(", ~b inputs per function and path",
                                       [inputs()])).

init_per_group(Path, Config) ->
    [{path, Path} | Config].

end_per_group(_Path, _Config) ->
    ok.

%% The same inputs on every path: the seed depends on the case only.
init_per_testcase(Case, Config) ->
    jinet_diff:seed_process(?config(seed, Config), Case),
    Config.

end_per_testcase(_Case, _Config) ->
    ok.

%%--------------------------------------------------------------------
%% Cases
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
    diff(F, Config, {inet, F}, jinet_diff:parse_inputs(inputs()), undefined).

ntoa(Config) ->
    diff(ntoa, Config, {inet, ntoa}, jinet_diff:ntoa_inputs(inputs()),
         undefined).

ipv4_mapped_ipv6_address(Config) ->
    diff(ipv4_mapped_ipv6_address, Config, {inet, ipv4_mapped_ipv6_address},
         jinet_diff:mapped_inputs(inputs()), undefined).

format_error(Config) ->
    Atoms = case jinet_diff:manual_posix_atoms(
                   jinet_diff:manual_path(?config(root, Config))) of
                {ok, As} -> As;
                {error, _} -> jinet_diff:fallback_posix_atoms()
            end,
    diff(format_error, Config, {inet, format_error},
         jinet_diff:format_error_inputs(Atoms), undefined).

gethostname(Config) ->
    diff(gethostname, Config, {inet, gethostname}, [[]], undefined).

%% Functions jinet does not serve: undef, in each path's shape.
undef(Config) ->
    Calls = [{inet, nosuch, [1]}, {inet, nosuch, []},
             {nosuchmod, f, []}, {nosuchmod, parse_address, ["1.2.3.4"]},
             {inet, parse_address, []}, {inet, parse_address, ["1", "2"]},
             {inet, ntoa, [{1, 2, 3, 4}, x]}, {inet, gethostname, [x, y, z]}],
    Label = "undef (unserved functions)",
    Mismatches = lists:append(
                   [compare(?config(path, Config), {M, F}, [A],
                            ?config(jnode, Config), Label)
                    || {M, F, A} <- Calls]),
    jinet_diff:report(ctx(undef, Config), Mismatches).

%%--------------------------------------------------------------------
%% Helpers
%%--------------------------------------------------------------------

diff(Case, Config, {M, F}, ArgsList, Label0) ->
    Path = ?config(path, Config),
    Label = case Label0 of
                undefined -> label(M, F, hd(ArgsList), Path);
                _ -> Label0
            end,
    ct:log("~p via ~p: ~b inputs", [F, Path, length(ArgsList)]),
    jinet_diff:report(ctx(Case, Config),
                      compare(Path, {M, F}, ArgsList,
                              ?config(jnode, Config), Label)).

compare(block_call, MF, ArgsList, Node, Label) ->
    jinet_diff:compare(MF, ArgsList, {block_call, Node, ?TIMEOUT},
                       path_label(Label, block_call));
compare(call, MF, ArgsList, Node, Label) ->
    jinet_diff:compare(MF, ArgsList, {call, Node, ?TIMEOUT},
                       path_label(Label, call));
compare(erpc, MF, ArgsList, Node, Label) ->
    jinet_diff:compare_erpc(MF, ArgsList, Node, path_label(Label, erpc)).

label(M, F, Args, Path) ->
    Name = case M of
               inet -> io_lib:format("~p/~b", [F, length(Args)]);
               _ -> io_lib:format("~p:~p/~b", [M, F, length(Args)])
           end,
    lists:flatten(Name) ++ path_suffix(Path).

path_label(Label, Path) ->
    case lists:suffix(path_suffix(Path), Label) of
        true -> Label;
        false -> Label ++ path_suffix(Path)
    end.

path_suffix(block_call) -> " via rpc:block_call";
path_suffix(call) -> " via rpc:call";
path_suffix(erpc) -> " via erpc:call".

inputs() ->
    case os:getenv("JINET_PATH_INPUTS") of
        S when is_list(S), S =/= "" -> max(1, list_to_integer(S));
        _ -> 500
    end.

ctx(Case, Config) ->
    #{'case' => list_to_atom(atom_to_list(?config(path, Config)) ++ "." ++
                                 atom_to_list(Case)),
      seed => ?config(seed, Config),
      priv_dir => ?config(priv_dir, Config)}.
