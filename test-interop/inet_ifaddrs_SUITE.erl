%% inet:getifaddrs/0,1 answered by jinet, compared with BEAM on the same machine:
%% the host's interfaces, then a network namespace made for the run (a veth end
%% with IPv4 and IPv6 addresses, a point-to-point tun, an interface that is
%% down), then bad namespace paths and bad options. Every comparison is
%% inet:getifaddrs(...) through rpc:block_call on the suite's BEAM oracle (a
%% peer node on this machine) against the same on the jinet node.
%%
%% The namespace uses private test addresses only (10.200.x.x, 10.9.0.x,
%% fd00::/8) and sends no traffic; it and its links are deleted in
%% end_per_suite whatever happened. The namespace cases are skipped (with the
%% reason) only when namespaces cannot be created here.
-module(inet_ifaddrs_SUITE).

-include_lib("common_test/include/ct.hrl").

-export([suite/0, all/0, init_per_suite/1, end_per_suite/1]).
-export([host/1, host_options/1, netns/1, netns_contents/1, netns_paths/1,
         bad_options/1]).

suite() ->
    [{timetrap, {minutes, 3}}].

all() ->
    [host, host_options, netns, netns_contents, netns_paths, bad_options].

%%--------------------------------------------------------------------
%% Setup
%%--------------------------------------------------------------------

init_per_suite(Config) ->
    T0 = erlang:monotonic_time(millisecond),
    ok = jinet_diff:stats_start(),
    Suffix = integer_to_list(list_to_integer(os:getpid()) rem 100000),
    NS = "jinet_ct_" ++ os:getpid() ++ "_" ++
        integer_to_list(erlang:unique_integer([positive])),
    Links = #{host_veth => "jvh" ++ Suffix, ns_veth => "jvn" ++ Suffix,
              tun => "jtun" ++ Suffix, down => "jdn" ++ Suffix,
              down_peer => "jdp" ++ Suffix},
    NsState = make_netns(NS, Links),
    case jinet_diff:oracle_start(#{log_dir => ?config(priv_dir, Config)}) of
        {ok, Oracle = #{node := ONode}} ->
            case jinet_diff:start_node(#{root => jinet_diff:root(Config),
                                         log_dir => ?config(priv_dir, Config)})
            of
                {ok, Handle = #{node := Node}} ->
                    say("inet_ifaddrs_SUITE: node ~p, BEAM oracle ~p, up in "
                        "~b ms; namespace: ~tp",
                        [Node, ONode, erlang:monotonic_time(millisecond) - T0,
                         NsState]),
                    [{jinet, Handle}, {jnode, Node}, {oracle, Oracle},
                     {onode, ONode}, {ns, NS}, {links, Links},
                     {ns_state, NsState}, {t0, T0} | Config];
                {error, Why} ->
                    jinet_diff:oracle_stop(Oracle),
                    delete_netns(NS, Links),
                    jinet_diff:stats_stop(),
                    {fail, {jinet_node_not_started, Why}}
            end;
        {error, Why} ->
            delete_netns(NS, Links),
            jinet_diff:stats_stop(),
            {fail, {oracle_not_started, Why}}
    end.

end_per_suite(Config) ->
    delete_netns(?config(ns, Config), ?config(links, Config)),
    {ok, OStop} = jinet_diff:oracle_stop(?config(oracle, Config)),
    {ok, Stop} = jinet_diff:stop_node(?config(jinet, Config)),
    jinet_diff:log("node stopped: ~tp~noracle stopped: ~tp", [Stop, OStop]),
    Table = jinet_diff:format_summary(jinet_diff:summary()),
    say("~ninet_ifaddrs_SUITE summary (node ~p, ~b ms):~n~ts",
        [?config(jnode, Config),
         erlang:monotonic_time(millisecond) - ?config(t0, Config), Table]),
    jinet_diff:stats_stop(),
    ok.

make_netns(NS, #{host_veth := HV, ns_veth := NV, tun := Tun, down := Dn,
                 down_peer := Dp}) ->
    case sh("ip netns add " ++ NS) of
        {0, _} ->
            In = "ip -n " ++ NS ++ " ",
            Steps =
                ["ip link add " ++ HV ++ " type veth peer name " ++ NV,
                 "ip link set " ++ NV ++ " netns " ++ NS,
                 %% Both ends up: link-local fe80:: addresses on each (the
                 %% pair is closed: nothing leaves it).
                 "ip link set " ++ HV ++ " up",
                 In ++ "link set lo up",
                 In ++ "addr add 10.200.7.1/24 dev " ++ NV,
                 In ++ "addr add 10.200.8.1/24 brd 10.200.8.255 dev " ++ NV,
                 In ++ "addr add fd00:200::1/64 dev " ++ NV ++ " nodad",
                 In ++ "link set " ++ NV ++ " up",
                 In ++ "tuntap add mode tun dev " ++ Tun,
                 In ++ "addr add 10.9.0.1 peer 10.9.0.2 dev " ++ Tun,
                 In ++ "addr add fd00:9::1/64 dev " ++ Tun ++ " nodad",
                 In ++ "link set " ++ Tun ++ " up",
                 In ++ "link add " ++ Dn ++ " type veth peer name " ++ Dp,
                 In ++ "addr add 10.200.9.1/24 dev " ++ Dn,
                 In ++ "addr add fd00:201::1/64 dev " ++ Dn ++ " nodad"],
            Failed = [{S, Out} || S <- Steps, {Rc, Out} <- [sh(S)], Rc =/= 0],
            ct:log("namespace ~s set up; failed steps: ~tp~n~ts",
                   [NS, Failed, element(2, sh(In ++ "-o addr; " ++ In ++
                                                  "-o link"))]),
            {ok, Failed};
        {Rc, Out} ->
            {skip, lists:flatten(io_lib:format(
                                   "cannot create a network namespace "
                                   "(ip netns add: exit ~b: ~ts)",
                                   [Rc, string:trim(Out)]))}
    end.

delete_netns(NS, #{host_veth := HV}) ->
    _ = sh("ip link del " ++ HV),
    _ = sh("ip netns del " ++ NS),
    ok.

sh(Cmd) ->
    Out = os:cmd(Cmd ++ " 2>&1; echo \"rc=$?\""),
    [RcLine | Rev] = lists:reverse(string:split(string:trim(Out, trailing),
                                                "\n", all)),
    "rc=" ++ Rc = RcLine,
    {list_to_integer(Rc), lists:flatten(lists:join("\n", lists:reverse(Rev)))}.

%%--------------------------------------------------------------------
%% Cases
%%--------------------------------------------------------------------

host(Config) ->
    diff(host, Config, [[]]),
    %% getifaddrs/0 as a 0-arity call.
    compare0(Config).

host_options(Config) ->
    diff(host_options, Config,
         [[[]], [[binary]], [[list]], [[{active, false}]], [[{active, 5}]],
          [[{reuseaddr, true}]], [[{recbuf, -1}]], [[{sndbuf, 65536}]],
          [[{debug, false}]], [[{mode, binary}]], [[{deliver, term}]],
          [[{header, 0}]], [[{buffer, 100}]], [[{broadcast, true}]],
          [[{dontroute, true}]], [[{ttl, 64}]], [[{ttl, 0}]], [[{ttl, 256}]],
          [[{multicast_ttl, 2}]], [[{multicast_loop, false}]],
          [[{recvtos, true}]], [[{recvttl, true}]], [[{tos, 16}]],
          [[{tclass, 1}]], [[{recvtclass, true}]], [[{ipv6_v6only, true}]],
          [[{read_packets, 0}]], [[{read_packets, 5}]],
          [[{high_msgq_watermark, 0}]], [[{low_msgq_watermark, 10}]],
          [[{ip, {127, 0, 0, 1}}]], [[{ifaddr, {127, 0, 0, 1}}]],
          [[{ip, any}]], [[{ip, loopback}]], [[{ip, {192, 0, 2, 123}}]],
          [[{port, 0}]], [[{ip, {127, 0, 0, 1}}, {port, 0}]],
          [[{netns, "/proc/self/ns/net"}]]]).

netns(Config) ->
    with_ns(Config,
            fun(Path) ->
                    diff(netns, Config,
                         [[[{netns, Path}]],
                          [[{netns, list_to_binary(Path)}]],
                          [[{netns, [filename:dirname(Path), "/",
                                     list_to_binary(filename:basename(Path))]}]],
                          [[binary, {netns, Path}, {active, false}]],
                          [[{netns, "/nonexistent"}, {netns, Path}]],
                          [[{netns, Path}, {netns, "/nonexistent"}]],
                          [[{fd, [{netns, list_to_binary(Path)}]}]]])
            end).

%% Beyond equality: the namespace's answer has what was built there, which
%% needs every set-up step to have worked (`ip -n` cannot enter a namespace
%% in some chroots, for one).
netns_contents(Config) ->
    case ?config(ns_state, Config) of
        {ok, [_ | _] = Failed} ->
            Reason = lists:flatten(io_lib:format(
                                     "namespace set-up steps failed: ~tp",
                                     [[S || {S, _} <- Failed]])),
            say("inet_ifaddrs_SUITE: netns_contents skipped: ~ts", [Reason]),
            {skip, Reason};
        _ ->
            netns_contents_checked(Config)
    end.

netns_contents_checked(Config) ->
    with_ns(Config,
            fun(Path) ->
                    #{ns_veth := NV, tun := Tun, down := Dn} =
                        ?config(links, Config),
                    {ok, Ifs} = rpc:block_call(?config(jnode, Config), inet,
                                               getifaddrs, [[{netns, Path}]],
                                               30000),
                    jinet_diff:log("jinet in the namespace: ~tp", [Ifs]),
                    Tun1 = proplists:get_value(Tun, Ifs),
                    true = lists:member({dstaddr, {10, 9, 0, 2}}, Tun1),
                    [Flags | _] = [F || {flags, F} <- Tun1],
                    true = lists:member(pointtopoint, Flags),
                    V = proplists:get_value(NV, Ifs),
                    true = lists:member({addr, {10, 200, 7, 1}}, V),
                    true = lists:member({broadaddr, {10, 200, 8, 255}}, V),
                    true = lists:member({addr, {16#fd00, 16#200, 0, 0, 0, 0, 0, 1}}, V),
                    D = proplists:get_value(Dn, Ifs),
                    [DFlags | _] = [F || {flags, F} <- D],
                    false = lists:member(up, DFlags),
                    ok
            end).

%% Bad and odd namespace paths, on a BEAM peer and a jinet node started with
%% the same locale environment: a name given as characters becomes bytes by
%% file:native_name_encoding(), which erl decides from the locale at start
%% ([256] is badarg in latin1, enoent in utf8; [$é] is one byte or two, and
%% only the one-byte name exists here).
netns_paths(Config) ->
    Dir = filename:join(?config(priv_dir, Config), "netns_paths"),
    ok = filelib:ensure_dir(filename:join(Dir, "x")),
    ok = file:write_file(<<(list_to_binary(Dir))/binary, "/", 16#e9>>, <<>>),
    Paths = ["/nonexistent", "/tmp", "/etc/hostname", "", "/dev/null",
             "/proc/self/ns/mnt", "/var/run/netns", "/nonexistent/x",
             "/etc/hostname/x", [0], "a" ++ [0] ++ "b",
             lists:duplicate(5000, $a), [256], [16#10ffff],
             [$é], <<255>>, <<>>, <<"/nonexistent">>,
             ["/non", <<"existent">>], ["/x" | <<"y">>],
             foo, 1, 1.5, {a}, [$/ | x], ['/'], [-1], [16#110000],
             [16#d800], [<<255>>], Dir ++ [$/, 16#e9], [Dir, $/, <<"é"/utf8>>],
             <<(list_to_binary(Dir))/binary, "/", 16#e9>>, Dir ++ "/" ++ [256],
             self()],
    Calls = [{getifaddrs, [[{netns, P}]]} || P <- Paths],
    Failed = [{Name, R} || {Name, Set, Expect} <- locales(),
                           R <- [netns_paths_under(Name, Set, Expect, Calls,
                                                   Config)],
                           R =/= ok],
    case Failed of
        [] -> ok;
        _ -> ct:fail({netns_paths, Failed})
    end.

%% Each: what it is called, the locale variables set (every other one
%% unset), and the encoding erl is expected to pick, so that an environment
%% that did not reach the nodes is noticed.
locales() ->
    [{"no locale", [], latin1},
     {"LANG=C.UTF-8", [{"LANG", "C.UTF-8"}], utf8},
     {"LC_ALL=en_US.UTF-8, not installed", [{"LC_ALL", "en_US.UTF-8"}], latin1},
     {"LC_CTYPE=C.UTF-8 LANG=C", [{"LC_CTYPE", "C.UTF-8"}, {"LANG", "C"}], utf8}].

netns_paths_under(Name, Set, Expect, Calls, Config) ->
    Opts = #{root => jinet_diff:root(Config),
             log_dir => ?config(priv_dir, Config), env => jinet_diff:locale_env(Set)},
    case jinet_diff:start_pair(Opts) of
        {ok, Pair = #{beam := #{node := B}, jinet := #{node := J}}} ->
            try
                Enc = rpc:call(B, file, native_name_encoding, [], 30000),
                Label = "getifaddrs/1 netns_paths " ++ Name,
                Mismatches = jinet_diff:compare_nodes(Calls, B, J, Label),
                jinet_diff:log("~ts: BEAM's encoding ~p, ~b mismatches",
                               [Name, Enc, length(Mismatches)]),
                case {Enc, Mismatches} of
                    {Expect, []} -> ok;
                    {Expect, _} ->
                        catch jinet_diff:report(ctx(netns_paths, Config),
                                                Mismatches),
                        {mismatches, length(Mismatches)};
                    _ -> {encoding, Enc, expected, Expect}
                end
            after
                jinet_diff:stop_pair(Pair)
            end;
        {error, Why} ->
            {not_started, Why}
    end.

bad_options(Config) ->
    diff(bad_options, Config,
         [[foo], [42], [{netns, "/x"}], [<<"x">>], [#{}], [self()],
          [[foo]], [[{foo, bar}]], [[inet6]], [[inet]], [[local]],
          [[{netns}]], [[{netns, "/x", y}]], [[{udp_module, inet_udp}]],
          [[{active, 40000}]], [[{active, maybe}]], [[{reuseaddr, 1}]],
          [[{recbuf, foo}]], [[{header, -1}]], [[{mode, text}]],
          [[{ip, {1, 2, 3}}]], [[{ip, {256, 0, 0, 1}}]], [[{ip, foo}]],
          [[{port, -1}]], [[{port, 65536}]], [[{port, foo}]],
          [[{fd, 0}, {port, 1}]], [[{bind_to_device, "lo"}]],
          [[{netns, "/proc/self/ns/net"} | foo]], [[foo | bar]],
          [[binary | bar]], [[{port, 0} | <<"x">>]], ["abc"], [[$a]],
          [[{linger, {true, 1}}]], [[{keepalive, true}]], [[{packet, 2}]],
          [[{raw, 1, 2}]], [[{tclass, x}]], [[{add_membership, foo}]],
          [[{multicast_if, foo}]], [[{"netns", "/x"}]], [[{1, 2}]]]).

%%--------------------------------------------------------------------
%% Helpers
%%--------------------------------------------------------------------

with_ns(Config, Fun) ->
    case ?config(ns_state, Config) of
        {skip, Reason} ->
            say("inet_ifaddrs_SUITE: skipped: ~ts", [Reason]),
            {skip, Reason};
        {ok, _} ->
            Fun("/var/run/netns/" ++ ?config(ns, Config))
    end.

compare0(Config) ->
    Node = ?config(jnode, Config),
    L = rpc:block_call(?config(onode, Config), inet, getifaddrs, [], 30000),
    R = rpc:block_call(Node, inet, getifaddrs, [], 30000),
    Same = jinet_diff:same(L, R),
    jinet_diff:record("getifaddrs/0", 1, case Same of true -> 1; false -> 0 end),
    jinet_diff:report(ctx(host0, Config),
                      [#{mfa => {inet, getifaddrs, []}, beam => L, jinet => R}
                       || not Same]).

diff(Case, Config, ArgsList) ->
    Label = "getifaddrs/1 " ++ atom_to_list(Case),
    jinet_diff:report(ctx(Case, Config),
                      jinet_diff:compare(getifaddrs, ArgsList,
                                         {block_call, ?config(jnode, Config)},
                                         Label)).

ctx(Case, Config) ->
    #{'case' => Case, seed => 0, priv_dir => ?config(priv_dir, Config)}.

say(Format, Args) ->
    jinet_diff:log(Format, Args),
    io:format(user, Format ++ "~n", Args).
