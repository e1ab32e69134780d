%% inet:getservbyname/2, inet:getservbyport/2 and the address predicates
%% inet:is_ip_address/1, is_ipv4_address/1, is_ipv6_address/1, answered by
%% jinet, compared with BEAM.
%%
%% Every comparison calls inet:F(Args) through rpc:call/5 on the suite's
%% BEAM oracle (a peer node, through libc's services database) and on the
%% jinet node, and requires the two answers to be identical (an error's
%% stack excepted: class and reason count). See jinet_diff for the
%% shapes, the node handling and the environment variables (JINET_HOME,
%% JINET_NODE, JINET_STANDIN, JINET_SEED).
-module(inet_services_SUITE).

-include_lib("common_test/include/ct.hrl").

-export([suite/0, all/0, init_per_suite/1, end_per_suite/1,
         init_per_testcase/2, end_per_testcase/2]).
-export([known_answers/1, file_names/1, file_ports/1, port_range/1,
         random_names/1, random_ports/1, malformed_getservbyname/1,
         malformed_getservbyport/1, is_ip_address/1, is_ipv4_address/1,
         is_ipv6_address/1]).

-define(SERVICES, "/etc/services").
-define(PROTOCOLS, [tcp, udp, sctp]).
-define(PREDICATE_INPUTS, 2500).
-define(RANDOM_INPUTS, 1500).

suite() ->
    [{timetrap, {minutes, 5}}].

all() ->
    [known_answers, file_names, file_ports, port_range, random_names,
     random_ports, malformed_getservbyname, malformed_getservbyport,
     is_ip_address, is_ipv4_address, is_ipv6_address].

%%--------------------------------------------------------------------
%% Setup
%%--------------------------------------------------------------------

init_per_suite(Config) ->
    case file:read_file(?SERVICES) of
        {ok, _} -> ok;
        {error, Why} ->
            say("inet_services_SUITE: WARNING: cannot read ~s (~p): install "
                "netbase; the lookups then compare failures only",
                [?SERVICES, Why])
    end,
    case jinet_diff:suite_start(?MODULE, Config) of
        Config1 when is_list(Config1) -> [{services, services()} | Config1];
        Fail -> Fail
    end.

end_per_suite(Config) ->
    jinet_diff:suite_end(?MODULE, Config, "").

init_per_testcase(Case, Config) ->
    jinet_diff:seed_process(?config(seed, Config), Case),
    Config.

end_per_testcase(_Case, _Config) ->
    ok.

%%--------------------------------------------------------------------
%% Cases
%%--------------------------------------------------------------------

%% A fixed set of lookups (names, aliases, bad protocols and bad arguments)
%% answered by the suite's BEAM oracle: jinet's answers must be the
%% oracle's. The oracle's own answers are checked against the services file
%% as this suite reads it, so an oracle that does not see the file is
%% noticed.
known_answers(Config) ->
    Node = ?config(jnode, Config),
    Calls = [{getservbyname, [http, tcp]}, {getservbyname, [www, tcp]},
             {getservbyname, [http, "tcp"]}, {getservbyname, [http, udp]},
             {getservbyname, ["http", tcp]}, {getservbyname, [http, [$t | cp]]},
             {getservbyport, [80, tcp]}, {getservbyport, [80.0, tcp]},
             {getservbyport, [-1, tcp]}, {is_ip_address, [{1, 2, 3, 4}]},
             {is_ipv4_address, [{-1, 0, 0, 0}]}],
    P = ?config(onode, Config),
    Answers = [{F, Args, simple(rpc:call(P, inet, F, Args, 30000))}
               || {F, Args} <- Calls],
    Services = ?config(services, Config),
    FromFile = fun(Name) ->
                       case [Port || {N, Port, tcp} <- Services,
                                     N =:= atom_to_list(Name)] of
                           [Port | _] -> {ok, Port};
                           [] -> {error, einval}
                       end
               end,
    Oracle = [{Args, Got} || {getservbyname, [Name, tcp] = Args, Got} <- Answers,
                             is_atom(Name), Got =/= FromFile(Name)],
    Oracle =:= [] orelse ct:fail({peer_does_not_see_the_services_file, Oracle}),
    Bad = [{F, Args, Expected, Remote}
           || {F, Args, Expected} <- Answers,
              Remote <- [simple(rpc:call(Node, inet, F, Args, 30000))],
              Remote =/= Expected],
    jinet_diff:record("known answers", length(Answers),
                      length(Answers) - length(Bad)),
    Bad =:= [] orelse ct:fail({known_answers, Bad}).

simple({badrpc, {'EXIT', {R, _}}}) when is_atom(R) ->
    list_to_atom("error_" ++ atom_to_list(R));
simple(V) -> V.

%% Every name and alias of the file, for each protocol, as atoms and as
%% strings.
file_names(Config) ->
    Names = lists:usort([N || {N, _, _} <- ?config(services, Config)]),
    Protos = lists:usort([P || {_, _, P} <- ?config(services, Config)])
        ++ ?PROTOCOLS,
    Args = [[list_to_atom(N), P] || N <- Names, P <- lists:usort(Protos)] ++
        [[list_to_atom(N), atom_to_list(P)] || N <- Names, P <- ?PROTOCOLS],
    diff(file_names, Config, getservbyname, Args,
         "getservbyname/2 file names").

%% Every port of the file, for each protocol, atom and string.
file_ports(Config) ->
    Ports = lists:usort([P || {_, P, _} <- ?config(services, Config)]),
    Protos = lists:usort([P || {_, _, P} <- ?config(services, Config)]
                         ++ ?PROTOCOLS),
    Args = [[P, Pr] || P <- Ports, Pr <- Protos] ++
        [[P, atom_to_list(Pr)] || P <- Ports, Pr <- ?PROTOCOLS],
    diff(file_ports, Config, getservbyport, Args,
         "getservbyport/2 file ports").

%% The well-known range, and the edges of the port range.
port_range(Config) ->
    Args = [[P, Pr] || P <- lists:seq(0, 1024), Pr <- [tcp, udp]] ++
        [[P, Pr] || P <- [65534, 65535, 65536], Pr <- ?PROTOCOLS],
    diff(port_range, Config, getservbyport, Args,
         "getservbyport/2 ports 0..1024").

random_names(Config) ->
    Names = [N || {N, _, _} <- ?config(services, Config)],
    Args = [[random_name(Names), random_protocol()]
            || _ <- lists:seq(1, ?RANDOM_INPUTS)],
    diff(random_names, Config, getservbyname, Args,
         "getservbyname/2 random").

random_ports(Config) ->
    Args = [[random_port(), random_protocol()]
            || _ <- lists:seq(1, ?RANDOM_INPUTS)],
    diff(random_ports, Config, getservbyport, Args,
         "getservbyport/2 random").

malformed_getservbyname(Config) ->
    Names = [http, www, echo, amqp, '', 'http\0x', 'HTTP', 'é', 'Ω',
             list_to_atom(lists:duplicate(255, $a)),
             "http", <<"http">>, 80, 80.0, {http}, [http], [], [$h | ttp],
             #{}, self(), make_ref(), fun erlang:abs/1],
    Args = [[N, P] || N <- Names, P <- odd_protocols()],
    diff(malformed_getservbyname, Config, getservbyname, Args,
         "getservbyname/2 malformed").

malformed_getservbyport(Config) ->
    Args = [[P, Pr] || P <- odd_ports(), Pr <- odd_protocols()],
    diff(malformed_getservbyport, Config, getservbyport, Args,
         "getservbyport/2 malformed").

is_ip_address(Config) ->
    predicate(is_ip_address, Config).

is_ipv4_address(Config) ->
    predicate(is_ipv4_address, Config).

is_ipv6_address(Config) ->
    predicate(is_ipv6_address, Config).

predicate(F, Config) ->
    Args = [[T] || T <- predicate_edges() ++
                       [random_address_term()
                        || _ <- lists:seq(1, ?PREDICATE_INPUTS)]],
    diff(F, Config, F, Args, atom_to_list(F) ++ "/1").

%%--------------------------------------------------------------------
%% The services file: [{Name, Port, Protocol}] for every name and alias
%%--------------------------------------------------------------------

services() ->
    case file:read_file(?SERVICES) of
        {ok, Bin} ->
            Lines = string:split(binary_to_list(Bin), "\n", all),
            lists:append([service_line(L) || L <- Lines]);
        {error, _} ->
            []
    end.

service_line(Line) ->
    Text = hd(string:split(Line, "#")),
    case string:lexemes(Text, " \t\r") of
        [Name, PortProto | Aliases] ->
            case string:split(PortProto, "/") of
                [P, Proto] ->
                    case string:to_integer(P) of
                        {Port, []} ->
                            [{N, Port, list_to_atom(Proto)}
                             || N <- [Name | Aliases]];
                        _ -> []
                    end;
                _ -> []
            end;
        _ -> []
    end.

%%--------------------------------------------------------------------
%% Inputs
%%--------------------------------------------------------------------

random_name(Names) ->
    case rand:uniform(8) of
        1 -> list_to_atom(random_chars(rand:uniform(12)));
        2 -> list_to_atom(string:uppercase(pick(Names)));
        3 -> list_to_atom(pick(Names) ++ random_chars(1));
        4 -> list_to_atom(tl(pick(Names) ++ "x"));
        5 -> list_to_atom(pick(Names) ++ [0] ++ random_chars(2));
        6 -> pick([pick(Names), list_to_binary(pick(Names))]);
        _ -> list_to_atom(pick(Names))
    end.

random_chars(N) ->
    [pick("abcdefghijklmnopqrstuvwxyz0123456789-_.+") || _ <- lists:seq(1, N)].

random_protocol() ->
    case rand:uniform(10) of
        1 -> atom_to_list(pick(?PROTOCOLS));
        2 -> pick(odd_protocols());
        3 -> pick([ddp, 'TCP', "UDP", tcp6, ip, icmp]);
        _ -> pick(?PROTOCOLS)
    end.

random_port() ->
    case rand:uniform(10) of
        1 -> -rand:uniform(100000);
        2 -> 65535 + rand:uniform(1 bsl 20);
        3 -> pick(odd_ports());
        4 -> rand:uniform(1024) - 1;
        _ -> rand:uniform(65536) - 1
    end.

odd_protocols() ->
    [tcp, udp, sctp, ddp, 'TCP', '', 'tcp\0x', 'é', 'Ωtcp',
     "tcp", "udp", "sctp", "", "tcp\0x", "tcp\0", "TCP", [$t, $c, $p, 256],
     [$t, $c, $p, -1], [$t, $c, $p, 1.0], [$t, $c, $p, foo],
     [$t | cp], [$t, $c | $p], [$t, $c, $p | <<>>],
     [<<"tcp">>], [<<"t">>, <<"cp">>, 0], [<<"tcpx">>, 1, 2, 3],
     [[], "tcp"], ["tcp"], [[$t | <<"cp">>], 0, 0], [<<1:1>>, 0, 0],
     [[[$t, $c, $p]], 0, 0], lists:duplicate(255, $a),
     lists:duplicate(256, $a), "tcp" ++ lists:duplicate(252, 0),
     <<"tcp">>, <<>>, 6, 6.0, {tcp}, #{}, self()].

odd_ports() ->
    [0, 7, 80, 443, 5672, 65535, 65536, -1, -65536, 1 bsl 70, -(1 bsl 70),
     80.0, 80.5, -0.5, -0.0, 65535.0, 65535.5, 1.0e300, "80", <<"80">>,
     http, '80', {80}, [80], [], #{}, self()].

predicate_edges() ->
    [{0, 0, 0, 0}, {255, 255, 255, 255}, {256, 0, 0, 0}, {-1, 0, 0, 0},
     {1.0, 2, 3, 4}, {1, 2, 3, 4.0}, {1 bsl 70, 0, 0, 0},
     {-(1 bsl 70), 0, 0, 0}, {a, 0, 0, 0}, {"1", 0, 0, 0},
     {0, 0, 0, 0, 0, 0, 0, 0}, {65535, 65535, 65535, 65535, 65535, 65535,
                                65535, 65535},
     {65536, 0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0, -1},
     {0, 0, 0, 0, 0, 0, 0, 1.0}, {0, 0, 0, 0, 0, 0, 0, 1 bsl 70},
     {}, {1}, {1, 2, 3}, {1, 2, 3, 4, 5}, {1, 2, 3, 4, 5, 6, 7},
     {1, 2, 3, 4, 5, 6, 7, 8, 9}, [1, 2, 3, 4], "1.2.3.4", <<1, 2, 3, 4>>,
     foo, 1, 1.0, [], #{}, self(), make_ref(), fun erlang:abs/1,
     {{1, 2, 3, 4}}].

random_address_term() ->
    case rand:uniform(10) of
        1 -> pick(predicate_edges());
        2 -> random_tuple(rand:uniform(11) - 1);
        3 -> pick([foo, 1, -1, 1.5, "1.2.3.4", <<"x">>, [], [1, 2, 3, 4],
                   #{a => 1}, self()]);
        N when N =< 6 -> random_tuple(4);
        _ -> random_tuple(8)
    end.

random_tuple(Size) ->
    Max = pick([256, 65536]),
    list_to_tuple([element_for(Max) || _ <- lists:seq(1, Size)]).

element_for(Max) ->
    case rand:uniform(25) of
        1 -> -rand:uniform(70000);
        2 -> Max + rand:uniform(70000) - 1;
        3 -> (1 bsl (60 + rand:uniform(80))) * pick([1, -1]);
        4 -> float(rand:uniform(Max) - 1);
        5 -> pick([a, "1", <<1>>, {1}, [], self()]);
        6 -> pick([0, 255, 256, 65535, 65536]);
        _ -> rand:uniform(Max) - 1
    end.

pick(List) ->
    lists:nth(rand:uniform(length(List)), List).

%%--------------------------------------------------------------------
%% Helpers
%%--------------------------------------------------------------------

transport(Config) ->
    {call, ?config(jnode, Config)}.

diff(Case, Config, F, ArgsList, Label) ->
    ct:log("~p: ~b inputs to inet:~p", [Case, length(ArgsList), F]),
    Ctx = #{'case' => Case, seed => ?config(seed, Config),
            priv_dir => ?config(priv_dir, Config)},
    jinet_diff:report(Ctx, jinet_diff:compare(F, ArgsList, transport(Config),
                                              Label)).

%% To the CT log and to stdout.
say(Format, Args) ->
    jinet_diff:log(Format, Args),
    io:format(user, Format ++ "~n", Args).
