%% The module jinet.example.Example serves from Java, written in Erlang: the
%% reference ExampleTest loads on a BEAM node and compares with jinet.
-module(demo).
-export([add/2, greet/1]).

add(A, B) -> A + B.

greet(Name) when is_binary(Name) -> <<"Hello, ", Name/binary, "!">>;
greet(_) -> erlang:error(badarg).
