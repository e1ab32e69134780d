%% The stream socket module of one family, included by jinet_tcp (?FAMILY
%% inet), jinet6_tcp (inet6) and jinet_local_tcp (local): the callbacks
%% gen_tcp and inet make on a module socket, and the ones gen_tcp:connect/4
%% and gen_tcp:listen/2 make on the module named by {tcp_module, M}. Each
%% passes the request to the socket's jinet node (see jinet_sock).

-export([connect/3, connect/4, listen/2, accept/1, accept/2, close/1,
         send/2, send/3, recv/2, recv/3, unrecv/2, shutdown/2,
         controlling_process/2, fdopen/2,
         setopts/2, getopts/2, getstat/1, getstat/2, peername/1, sockname/1,
         socknames/1, port/1, monitor/1, cancel_monitor/1, info/1,
         socket_to_list/1, which_packet_type/1,
         family/0, getserv/1, getaddr/1, getaddr/2, getaddrs/1, getaddrs/2,
         translate_ip/1]).

-define(CLOSED_EINVAL, {error, einval}).
-define(DELIVERIES, [tcp, tcp_closed, tcp_error, tcp_passive]).

family() -> ?FAMILY.

getserv(Port) -> jinet_sock:getserv(tcp, Port).

getaddr(Address) -> getaddr(Address, infinity).
getaddr(Address, Timer) ->
    case getaddrs(Address, Timer) of
        {ok, [IP | _]} -> {ok, IP};
        Error -> Error
    end.

getaddrs(Address) -> getaddrs(Address, infinity).
getaddrs(Address, Timer) ->
    jinet_sock:getaddrs(jinet:node(), Address, address_family(Address),
                        jinet_sock:timeout_ms(Timer)).

translate_ip(IP) -> inet:translate_ip(IP, ?FAMILY).

connect(SockAddr, Opts, Time) when is_map(SockAddr) ->
    jinet_sock:create(?MODULE, Opts,
                      {connect, ?FAMILY, SockAddr, 0, jinet_sock:strip(Opts),
                       jinet_sock:timeout_ms(Time)});
connect(Address, Port, Opts) ->
    connect(Address, Port, Opts, infinity).

connect(Address, Port, Opts, Time) ->
    jinet_sock:create(?MODULE, Opts,
                      {connect, address_family(Address), Address, Port,
                       jinet_sock:strip(Opts), jinet_sock:timeout_ms(Time)}).

listen(Port, Opts) ->
    jinet_sock:create(?MODULE, Opts,
                      {listen, listen_family(Opts), Port, jinet_sock:strip(Opts)}).

accept(L) -> accept(L, infinity).
accept(L, Time) -> jinet_sock:call(L, {accept, Time}, {error, closed}).

close(S) -> jinet_sock:call(S, close, ok).

send(S, Data) -> jinet_sock:call(S, {send, Data}, {error, closed}).
send(S, Data, _Opts) -> send(S, Data).

recv(S, Length) -> recv(S, Length, infinity).
recv(S, Length, Time) -> jinet_sock:call(S, {recv, Length, Time}, {error, closed}).

unrecv(S, Data) -> jinet_sock:call(S, {unrecv, Data}, {error, closed}).

shutdown(S, How) -> jinet_sock:call(S, {shutdown, How}, {error, closed}).

controlling_process(S, NewOwner) ->
    jinet_sock:controlling_process(S, NewOwner, ?DELIVERIES).

fdopen(_Fd, _Opts) -> {error, einval}.

setopts(S, Opts) -> jinet_sock:call(S, {setopts, Opts}, ?CLOSED_EINVAL).
getopts(S, Opts) -> jinet_sock:call(S, {getopts, Opts}, ?CLOSED_EINVAL).
getstat(S) -> jinet_sock:call(S, getstat, ?CLOSED_EINVAL).
getstat(S, Opts) -> jinet_sock:call(S, {getstat, Opts}, ?CLOSED_EINVAL).
peername(S) -> jinet_sock:call(S, peername, ?CLOSED_EINVAL).
sockname(S) -> jinet_sock:call(S, sockname, ?CLOSED_EINVAL).
socknames(S) -> jinet_sock:call(S, socknames, ?CLOSED_EINVAL).
port(S) -> jinet_sock:call(S, port, ?CLOSED_EINVAL).
info(S) -> jinet_sock:call(S, info, #{states => [closed]}).
which_packet_type(S) -> jinet_sock:call(S, which_packet_type, error).

monitor(S) -> jinet_sock:monitor(S).
cancel_monitor(MRef) -> jinet_sock:cancel_monitor(MRef).
socket_to_list(S) -> jinet_sock:socket_to_list(S).
