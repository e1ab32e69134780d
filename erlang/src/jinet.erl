%% @doc Client for a jinet node: the functions of OTP's `inet' module,
%% answered by a jinet node (a Java node in the Erlang cluster) instead of
%% the local runtime.
%%
%% Every exported `inet' function has a one-line counterpart here with the
%% same name and arity; it calls the function on the jinet node with
%% `erpc:call/4' and returns, raises or exits exactly as calling `inet'
%% locally would:
%%
%%   on the node                       here
%%   returns Value                     Value is returned
%%   raises error:Reason               erlang:raise(error, Reason, Stack),
%%                                     Stack being the node's stack
%%   exits with Reason                 exit(Reason)
%%   throws Value                      throw(Value)
%%   cannot be reached ({erpc, Why})   erlang:error({jinet, Node, Why}),
%%                                     e.g. Why = noconnection
%%
%% So a function the node does not serve raises `undef' (as the node answers)
%% and an invalid argument raises the same error `inet' raises.
%%
%% Which node: the application environment `{jinet, node}' if set to an atom
%% other than `undefined', else the OS environment variable JINET_NODE, else
%% `jinet@Host', Host being the host part erl uses for -sname (the host part
%% of this node's name when it runs with short names, else the first label
%% of the OS host name). `call/3' names the node explicitly.
-module(jinet).

-compile({no_auto_import, [node/0]}).

%% Client plumbing
-export([node/0, call/3]).

%% inet API (the EXPORTS section of the inet manual)
-export([close/1, format_error/1, get_rc/0, getaddr/2, getaddrs/2,
         gethostbyaddr/1, gethostbyname/1, gethostbyname/2, gethostname/0,
         getifaddrs/0, getifaddrs/1, getopts/2, getstat/1, getstat/2,
         i/0, i/1, i/2, ntoa/1, parse_address/1, parse_ipv4_address/1,
         parse_ipv4strict_address/1, parse_ipv6_address/1,
         parse_ipv6strict_address/1, ipv4_mapped_ipv6_address/1,
         parse_strict_address/1, peername/1, peernames/1, peernames/2,
         port/1, setopts/2, sockname/1, socknames/1, socknames/2]).

-type ip_port() :: {inet:ip_address(), inet:port_number()}.

%%--------------------------------------------------------------------
%% inet API, forwarded
%%--------------------------------------------------------------------

-spec close(inet:socket()) -> ok.
close(Socket) -> fwd(close, [Socket]).

-spec format_error(inet:posix() | system_limit) -> string().
format_error(Reason) -> fwd(format_error, [Reason]).

-spec get_rc() -> [{atom(), term()} | {atom(), term(), term()}].
get_rc() -> fwd(get_rc, []).

-spec getaddr(inet:ip_address() | inet:hostname(), inet:address_family()) ->
          {ok, inet:ip_address()} | {error, inet:posix()}.
getaddr(Host, Family) -> fwd(getaddr, [Host, Family]).

-spec getaddrs(inet:ip_address() | inet:hostname(), inet:address_family()) ->
          {ok, [inet:ip_address()]} | {error, inet:posix()}.
getaddrs(Host, Family) -> fwd(getaddrs, [Host, Family]).

-spec gethostbyaddr(string() | inet:ip_address()) ->
          {ok, inet:hostent()} | {error, inet:posix()}.
gethostbyaddr(Address) -> fwd(gethostbyaddr, [Address]).

-spec gethostbyname(inet:hostname()) ->
          {ok, inet:hostent()} | {error, inet:posix()}.
gethostbyname(Hostname) -> fwd(gethostbyname, [Hostname]).

-spec gethostbyname(inet:hostname(), inet:address_family()) ->
          {ok, inet:hostent()} | {error, inet:posix()}.
gethostbyname(Hostname, Family) -> fwd(gethostbyname, [Hostname, Family]).

-spec gethostname() -> {ok, string()}.
gethostname() -> fwd(gethostname, []).

-spec getifaddrs() -> {ok, [{string(), list()}]} | {error, inet:posix()}.
getifaddrs() -> fwd(getifaddrs, []).

-spec getifaddrs([{netns, file:filename_all()}]) ->
          {ok, [{string(), list()}]} | {error, inet:posix()}.
getifaddrs(Opts) -> fwd(getifaddrs, [Opts]).

-spec getopts(inet:socket(), [inet:socket_getopt()]) ->
          {ok, [inet:socket_optval()]} | {error, inet:posix()}.
getopts(Socket, Options) -> fwd(getopts, [Socket, Options]).

-spec getstat(inet:socket()) ->
          {ok, [{inet:stat_option(), integer()}]} | {error, inet:posix()}.
getstat(Socket) -> fwd(getstat, [Socket]).

-spec getstat(inet:socket(), [inet:stat_option()]) ->
          {ok, [{inet:stat_option(), integer()}]} | {error, inet:posix()}.
getstat(Socket, Options) -> fwd(getstat, [Socket, Options]).

-spec i() -> ok.
i() -> fwd(i, []).

-spec i(inet:socket_protocol()) -> ok.
i(Proto) -> fwd(i, [Proto]).

-spec i(inet:socket_protocol(), [atom()]) -> ok.
i(Proto, Fields) -> fwd(i, [Proto, Fields]).

-spec ntoa(inet:ip_address()) -> string() | {error, einval}.
ntoa(IpAddress) -> fwd(ntoa, [IpAddress]).

-spec parse_address(string()) -> {ok, inet:ip_address()} | {error, einval}.
parse_address(Address) -> fwd(parse_address, [Address]).

-spec parse_ipv4_address(string()) ->
          {ok, inet:ip4_address()} | {error, einval}.
parse_ipv4_address(Address) -> fwd(parse_ipv4_address, [Address]).

-spec parse_ipv4strict_address(string()) ->
          {ok, inet:ip4_address()} | {error, einval}.
parse_ipv4strict_address(Address) -> fwd(parse_ipv4strict_address, [Address]).

-spec parse_ipv6_address(string()) ->
          {ok, inet:ip6_address()} | {error, einval}.
parse_ipv6_address(Address) -> fwd(parse_ipv6_address, [Address]).

-spec parse_ipv6strict_address(string()) ->
          {ok, inet:ip6_address()} | {error, einval}.
parse_ipv6strict_address(Address) -> fwd(parse_ipv6strict_address, [Address]).

-spec ipv4_mapped_ipv6_address(inet:ip_address()) -> inet:ip_address().
ipv4_mapped_ipv6_address(Address) -> fwd(ipv4_mapped_ipv6_address, [Address]).

-spec parse_strict_address(string()) ->
          {ok, inet:ip_address()} | {error, einval}.
parse_strict_address(Address) -> fwd(parse_strict_address, [Address]).

-spec peername(inet:socket()) ->
          {ok, ip_port() | inet:returned_non_ip_address()} |
          {error, inet:posix()}.
peername(Socket) -> fwd(peername, [Socket]).

-spec peernames(inet:socket()) ->
          {ok, [ip_port() | inet:returned_non_ip_address()]} |
          {error, inet:posix()}.
peernames(Socket) -> fwd(peernames, [Socket]).

-spec peernames(inet:socket(), term()) ->
          {ok, [ip_port()]} | {error, inet:posix()}.
peernames(Socket, Assoc) -> fwd(peernames, [Socket, Assoc]).

-spec port(inet:socket()) -> {ok, inet:port_number()} | {error, term()}.
port(Socket) -> fwd(port, [Socket]).

-spec setopts(inet:socket(), [inet:socket_setopt()]) ->
          ok | {error, inet:posix()}.
setopts(Socket, Options) -> fwd(setopts, [Socket, Options]).

-spec sockname(inet:socket()) ->
          {ok, ip_port() | inet:returned_non_ip_address()} |
          {error, inet:posix()}.
sockname(Socket) -> fwd(sockname, [Socket]).

-spec socknames(inet:socket()) ->
          {ok, [ip_port() | inet:returned_non_ip_address()]} |
          {error, inet:posix()}.
socknames(Socket) -> fwd(socknames, [Socket]).

-spec socknames(inet:socket(), term()) ->
          {ok, [ip_port()]} | {error, inet:posix()}.
socknames(Socket, Assoc) -> fwd(socknames, [Socket, Assoc]).

%%--------------------------------------------------------------------
%% Plumbing
%%--------------------------------------------------------------------

%% @doc The jinet node the inet functions of this module call.
-spec node() -> node().
node() ->
    case app_env_node() of
        {ok, Node} -> Node;
        _ ->
            case os:getenv("JINET_NODE") of
                Name when is_list(Name), Name =/= "" -> list_to_atom(Name);
                _ -> list_to_atom("jinet@" ++ short_host())
            end
    end.

%% The application's node setting. The application is loaded first if it is
%% not, so that `erl -jinet node N' (applied when it loads) counts even where
%% nothing started it, as on a node whose inetrc names jinet's modules.
app_env_node() ->
    case application:get_env(jinet, node) of
        {ok, Node} when is_atom(Node), Node =/= undefined -> {ok, Node};
        {ok, _} -> undefined;
        undefined ->
            case application:load(jinet) of
                ok -> app_env_node();
                _ -> undefined
            end
    end.

%% @doc Calls inet:Function(Args...) on Node and returns, raises or exits as
%% described at the top of this module.
-spec call(node(), atom(), [term()]) -> term().
call(Node, Function, Args) when is_atom(Node), is_atom(Function),
                                is_list(Args) ->
    reply(Node, Function, Args).

fwd(Function, Args) ->
    call(node(), Function, Args).

%% The one place that talks to the node.
transport(Node, Function, Args) ->
    erpc:call(Node, inet, Function, Args).

reply(Node, Function, Args) ->
    try transport(Node, Function, Args)
    catch
        error:{exception, Reason, Stack} -> erlang:raise(error, Reason, Stack);
        exit:{exception, Reason} -> exit(Reason);
        throw:Value -> throw(Value);
        error:{erpc, Why} -> erlang:error({jinet, Node, Why});
        exit:{signal, Reason} -> erlang:error({jinet, Node, {signal, Reason}})
    end.

short_host() ->
    case {is_alive(), net_kernel:longnames()} of
        {true, false} ->
            [_, Host] = string:split(atom_to_list(erlang:node()), "@"),
            Host;
        _ ->
            {ok, Host} = inet:gethostname(),
            Host
    end.
