%% @doc What jinet's socket modules (jinet_tcp, jinet6_tcp, jinet_local_tcp,
%% jinet_udp, jinet6_udp, jinet_local_udp) have in common: the client side of
%% sockets that live on a jinet node.
%%
%% A socket is `{'$inet', Module, Pid}': Module is the family module that made
%% it, so gen_tcp, gen_udp and inet call that module back on this node (OTP's
%% module-socket hook); Pid is the socket's process on the jinet node. All
%% socket semantics are the node's: this module only carries requests there
%% as gen_server calls and turns the node's answer into a return or an exit.
%% A socket whose process is gone is a closed socket, and is answered here as
%% inet answers for a closed port.
%%
%% Deliveries ({tcp, S, Data}, {tcp_closed, S}, {udp, S, IP, Port, Data}, ...)
%% come straight from the socket's process to its owner.
-module(jinet_sock).
-compile({no_auto_import, [node/1, monitor/1]}).

-export([time/1, alive/1, address_family/2, listen_family/2, node/1, strip/1,
         create/3, call/3, controlling_process/4, getaddrs/4, getserv/2,
         timeout_ms/1, monitor/1, cancel_monitor/1, socket_to_list/1]).

%% The node that hosts sockets made with these options.
node(Opts) ->
    case lists:keyfind(jinet_node, 1, Opts) of
        {jinet_node, N} when is_atom(N) -> N;
        _ -> jinet:node()
    end.

%% The family of a socket to Address: the module's own, except that the inet
%% modules take IPv6 addresses too, as the default module of an inetrc
%% ({tcp, jinet_tcp}.) is given them.
address_family(inet, IP) when tuple_size(IP) =:= 8 -> inet6;
address_family(inet, #{family := inet6}) -> inet6;
address_family(Family, _) -> Family.

%% The family of a listening or datagram socket: an IPv6 ip option makes an
%% inet module's socket IPv6.
listen_family(inet, Opts) ->
    case [IP || {Key, IP} <- Opts, Key =:= ip orelse Key =:= ifaddr,
                tuple_size(IP) =:= 8] of
        [] -> inet;
        _ -> inet6
    end;
listen_family(Family, _) ->
    Family.

%% Options without the ones that only choose the node or the module.
strip(Opts) when is_list(Opts) ->
    [O || O <- Opts, not is_tuple(O) orelse
              (element(1, O) =/= jinet_node andalso element(1, O) =/= tcp_module
               andalso element(1, O) =/= udp_module)];
strip(Opts) ->
    Opts.

%% A request that makes a socket (connect, listen, open): the caller becomes
%% the socket's owner. A node that cannot be reached raises {jinet, Node, Why},
%% as the jinet module's calls do.
create(Module, Opts, Request) ->
    Node = node(Opts),
    case call_server({jinet_sockets, Node}, {Module, Request}) of
        {'$jinet_gone', Why} -> erlang:error({jinet, Node, Why});
        Reply -> reply(Reply, none)
    end.

%% A request on socket S.
call({'$inet', _, Pid}, Request, Closed) when is_pid(Pid) ->
    reply(call_server(Pid, Request), Closed);
call(_, _, _) ->
    exit(badarg).

call_server(Server, Request) ->
    try gen:call(Server, '$gen_call', Request, infinity) of
        {ok, Reply} -> Reply
    catch
        %% gen:call exits with the 'DOWN' reason itself
        exit:Reason when Reason =:= noproc; Reason =:= normal;
                         Reason =:= noconnection; Reason =:= shutdown;
                         Reason =:= killed ->
            {'$jinet_gone', Reason};
        %% ... and {nodedown, Node} for a registered name on a node it cannot reach
        exit:{nodedown, _} ->
            {'$jinet_gone', noconnection}
    end.

%% The node's answer as the caller sees it: a value, or an exit or error that
%% inet's own functions raise there. A closed socket's answer may be one too.
reply({'$jinet_gone', _}, Closed) -> reply(Closed, Closed);
reply({'$jinet_exit', Reason}, _) -> exit(Reason);
reply({'$jinet_error', Reason}, _) -> erlang:error(Reason);
reply(Reply, _) -> Reply.

%% The owner hands the socket to NewOwner. The node stops delivering and
%% makes NewOwner the owner; what it had already delivered here goes back to
%% the node, which passes it on to NewOwner before its next delivery, so
%% NewOwner sees everything in order, as inet's port_connect and message
%% move give it.
controlling_process(S, NewOwner, Tags, Closed) ->
    case call(S, {controlling_process, NewOwner, alive(NewOwner)}, Closed) of
        ok ->
            Moved = take(S, Tags, []),
            call(S, {resume, Moved}, ok);
        Other ->
            Other
    end.

take(S, Tags, Acc) ->
    receive
        M when is_tuple(M), tuple_size(M) >= 2, element(2, M) =:= S ->
            case lists:member(element(1, M), Tags) of
                true -> take(S, Tags, [M | Acc]);
                false -> take_rest(S, Tags, Acc, [M])
            end
    after 0 ->
        lists:reverse(Acc)
    end.

%% A message about S that is not a delivery stays where it was: put it back
%% after the scan (selective receive cannot skip it otherwise).
take_rest(S, Tags, Acc, Kept) ->
    Moved = take(S, Tags, Acc),
    [self() ! K || K <- lists:reverse(Kept)],
    Moved.

%% Name resolution for gen_tcp:connect and gen_udp:send with a host name, done
%% by the node with the time left on the caller's timer.
getaddrs(_Node, {local, _} = Address, local, _Timeout) ->
    {ok, [Address]};
getaddrs(_Node, Address, Family, _Timeout) when is_tuple(Address) ->
    %% An address tuple is only checked against the family: inet's pure
    %% function, the same here as on the node, and no round trip per connect
    inet:getaddrs(Address, Family);
getaddrs(_Node, Address, _Family, _Timeout) when not is_list(Address), not is_atom(Address) ->
    {error, einval};
getaddrs(Node, Address, Family, Timeout) ->
    try erpc:call(Node, inet, getaddrs, [Address, Family], Timeout)
    catch
        error:{erpc, timeout} -> {error, timeout};
        error:{erpc, noconnection} -> {error, nxdomain};
        exit:Reason -> exit(Reason);
        error:Reason -> erlang:error(Reason)
    end.

getserv(_Proto, Port) when is_integer(Port) -> {ok, Port};
getserv(Proto, Name) when is_atom(Name) ->
    erpc:call(jinet:node(), inet, getservbyname, [Name, Proto]);
getserv(_Proto, _) -> {error, einval}.

%% Whether Pid is alive, where this node can tell: a dead local process
%% cannot own a socket (port_connect's badarg).
alive(Pid) when erlang:node(Pid) =:= erlang:node() -> is_process_alive(Pid);
alive(_) -> true.

%% A recv or accept time as prim_inet takes it: a negative one is no limit.
time(Time) when is_integer(Time), Time < 0 -> infinity;
time(Time) -> Time.

%% gen_tcp passes a timer local to this node: its time left, in ms.
timeout_ms(Timer) when is_reference(Timer) -> inet:timeout(Timer);
timeout_ms(false) -> infinity;
timeout_ms(Timeout) -> Timeout.

monitor({'$inet', _, Pid}) ->
    erlang:monitor(process, Pid).

cancel_monitor(MRef) ->
    erlang:demonitor(MRef, [info]).

socket_to_list({'$inet', Module, Pid}) ->
    "#Socket<" ++ atom_to_list(Module) ++ pid_to_list(Pid) ++ ">".
