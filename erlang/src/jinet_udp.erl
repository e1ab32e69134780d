%% @doc UDP on a jinet node. See jinet_udp.hrl.
-module(jinet_udp).
-define(FAMILY, inet).
-include("jinet_udp.hrl").
