%% Run by ExampleTest in `erl -eval`: starts a BEAM peer serving demo.erl, makes
%% each call through rpc:call/5 and erpc:call/5 to the jinet example node and
%% to the peer, and prints one line per call and path:
%%   same|differ Path Call jinet=Answer beam=Answer
%% then "undef_on_beam N" (calls the peer did not know: a peer without demo
%% would make every comparison vacuous) and "done".
-module(demo_client).
-export([main/2]).

main(JinetNode, Dir) ->
    {ok, Peer, Beam} = peer:start(#{name => peer_name(),
                                    args => ["-setcookie",
                                             atom_to_list(erlang:get_cookie()),
                                             "-pa", Dir]}),
    {module, demo} = erpc:call(Beam, code, ensure_loaded, [demo]),
    Calls = [{add, [1, 2]}, {add, [1 bsl 70, 1]}, {add, [-5, 2]},
             {add, [1.5, 2]}, {add, [2, 0.25]}, {add, [1.0e308, 1.0e308]},
             {add, [foo, 1]}, {add, ["1", 2]},
             {greet, [<<"Ada">>]}, {greet, [<<"é"/utf8>>]}, {greet, [<<>>]},
             {greet, ["Ada"]}, {greet, [ada]}, {greet, [42]},
             {greet, [<<1:3>>]}],
    Paths = [{rpc_call, fun rpc_call/3}, {erpc_call, fun erpc_call/3}],
    Rows = [{Path, {F, A}, Call(JinetNode, F, A), Call(Beam, F, A)}
            || {Path, Call} <- Paths, {F, A} <- Calls],
    [io:format("~s ~p ~0p jinet=~0p beam=~0p~n",
               [case J =:= B of true -> same; false -> differ end,
                Path, C, J, B])
     || {Path, C, J, B} <- Rows],
    Undef = [R || {_, _, _, B} = R <- Rows, is_undef(B)],
    io:format("undef_on_beam ~b~n", [length(Undef)]),
    peer:stop(Peer),
    io:format("done~n").

%% rpc:call/5's answer, an error's stack left out (jinet's names the call,
%% BEAM's the code that raised).
rpc_call(Node, F, A) ->
    case rpc:call(Node, demo, F, A, 10000) of
        {badrpc, {'EXIT', {Reason, Stack}}} when is_list(Stack) ->
            {badrpc, {'EXIT', {Reason, stack}}};
        Other ->
            Other
    end.

%% erpc:call/5's value or exception: class and reason.
erpc_call(Node, F, A) ->
    try erpc:call(Node, demo, F, A, 10000) of
        V -> {value, V}
    catch
        error:{exception, Reason, _Stack} -> {error, Reason};
        Class:Reason -> {Class, Reason}
    end.

is_undef({badrpc, {'EXIT', {undef, _}}}) -> true;
is_undef({error, undef}) -> true;
is_undef(_) -> false.

peer_name() ->
    "demo_beam_" ++ os:getpid().
