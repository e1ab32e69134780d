%% jinet's embedded EPMD, seen from real BEAM nodes: with no epmd on the
%% port, `bin/jinet -epmd auto` serves it; BEAM nodes started afterwards
%% register with it, list each other, reach each other and reach jinet.
%%
%% Everything runs on a port of its own (ERL_EPMD_PORT), so the system's
%% epmd on 4369 and the nodes registered there are not touched. The peers
%% are driven over standard_io: this test node is registered elsewhere and
%% need not reach them.
-module(jinet_epmd_SUITE).

-include_lib("common_test/include/ct.hrl").

-export([suite/0, all/0, init_per_suite/1, end_per_suite/1]).
-export([beam_nodes_register_and_meet_through_jinet/1,
         registrations_end_with_their_nodes/1]).

suite() -> [{timetrap, {minutes, 3}}].

all() -> [beam_nodes_register_and_meet_through_jinet,
          registrations_end_with_their_nodes].

init_per_suite(Config) ->
    Port = free_port(),
    Env = [{"ERL_EPMD_PORT", integer_to_list(Port)}],
    case jinet_diff:start_node(#{root => jinet_diff:root(Config),
                                 log_dir => ?config(priv_dir, Config),
                                 use_env => false, wait_pong => false,
                                 args => ["-epmd", "auto"], env => Env}) of
        {ok, #{node := Node, stderr_log := Log} = Handle} ->
            %% Nothing answered on the fresh port, so jinet serves EPMD itself.
            {ok, Text} = file:read_file(Log),
            true = binary:match(Text, <<"embedded EPMD">>) =/= nomatch,
            [{jinet, Handle}, {jnode, Node}, {epmd_port, Port}, {env, Env}
             | Config];
        {error, Why} ->
            {fail, {jinet_node_not_started, Why}}
    end.

end_per_suite(Config) ->
    {ok, Stop} = jinet_diff:stop_node(?config(jinet, Config)),
    ct:log("jinet stopped: ~tp", [Stop]),
    ok.

beam_nodes_register_and_meet_through_jinet(Config) ->
    JNode = ?config(jnode, Config),
    {ok, A, NodeA} = peer(Config, "a"),
    {ok, B, NodeB} = peer(Config, "b"),
    try
        {ok, Names} = peer:call(A, net_adm, names, []),
        ct:log("names on the embedded EPMD: ~p", [Names]),
        [true, true, true] =
            [lists:keymember(short(N), 1, Names) || N <- [JNode, NodeA, NodeB]],
        pong = peer:call(A, net_adm, ping, [NodeB]),
        pong = peer:call(B, net_adm, ping, [JNode]),
        {ok, {192, 168, 42, 2}} =
            peer:call(B, rpc, call, [JNode, inet, parse_address, ["192.168.42.2"]]),
        %% `epmd -names` against the same port lists them too.
        Out = os:cmd("ERL_EPMD_PORT=" ++ integer_to_list(?config(epmd_port, Config))
                     ++ " epmd -names"),
        ct:log("epmd -names:~n~ts", [Out]),
        [true, true, true] =
            [string:find(Out, "name " ++ short(N) ++ " at port") =/= nomatch
             || N <- [JNode, NodeA, NodeB]],
        ok
    after
        peer:stop(A),
        peer:stop(B)
    end.

registrations_end_with_their_nodes(Config) ->
    {ok, A, NodeA} = peer(Config, "gone"),
    {ok, B, _} = peer(Config, "stays"),
    try
        peer:stop(A),
        Deadline = erlang:monotonic_time(millisecond) + 10000,
        ok = wait_unlisted(B, short(NodeA), Deadline)
    after
        peer:stop(B)
    end.

%%--------------------------------------------------------------------

peer(Config, Prefix) ->
    Name = Prefix ++ "_" ++ os:getpid() ++ "_"
        ++ integer_to_list(erlang:unique_integer([positive])),
    peer:start(#{name => Name, connection => standard_io,
                 args => ["-setcookie", atom_to_list(erlang:get_cookie()),
                          "-start_epmd", "false"],
                 env => ?config(env, Config)}).

wait_unlisted(Peer, Name, Deadline) ->
    {ok, Names} = peer:call(Peer, net_adm, names, []),
    case lists:keymember(Name, 1, Names) of
        false -> ok;
        true ->
            case erlang:monotonic_time(millisecond) < Deadline of
                true -> timer:sleep(100), wait_unlisted(Peer, Name, Deadline);
                false -> {still_listed, Name, Names}
            end
    end.

short(Node) ->
    hd(string:split(atom_to_list(Node), "@")).

free_port() ->
    {ok, S} = gen_tcp:listen(0, [{reuseaddr, false}]),
    {ok, Port} = inet:port(S),
    ok = gen_tcp:close(S),
    Port.
