#!/usr/bin/env escript
%% Records BEAM's own answers for jinet's JUnit tests: each case is
%% {Module, Function, Args, Outcome} with Outcome = {value, V} | {error, Reason}
%% | {exit, Reason} | {throw, V}, written as one term_to_binary'd list.
%% Usage: escript test-interop/oracle_vectors.escript OUT [SEED]
-mode(compile).

main([Out]) -> main([Out, "20261124"]);
main([Out, SeedText]) ->
    Seed = list_to_integer(SeedText),
    rand:seed(exsss, {Seed, Seed * 7 + 1, Seed * 13 + 5}),
    Parsers = [parse_address, parse_strict_address, parse_ipv4_address,
               parse_ipv4strict_address, parse_ipv6_address, parse_ipv6strict_address],
    Inputs = edge_inputs() ++ [random_string() || _ <- lists:seq(1, 700)],
    Cases = [{inet, F, [I]} || F <- Parsers, I <- Inputs]
        ++ [{inet, ntoa, [T]} || T <- tuples()]
        ++ [{inet, ipv4_mapped_ipv6_address, [T]} || T <- tuples()]
        ++ [{inet, format_error, [R]} || R <- error_reasons()],
    Vectors = [{M, F, A, outcome(M, F, A)} || {M, F, A} <- Cases],
    ok = file:write_file(Out, term_to_binary({otp_release(), Seed, Vectors}, [compressed])),
    io:format("~p cases from OTP ~s (seed ~p) written to ~s~n",
              [length(Vectors), otp_release(), Seed, Out]).

otp_release() -> erlang:system_info(otp_release).

outcome(M, F, A) ->
    try {value, apply(M, F, A)}
    catch Class:Reason -> {Class, Reason}
    end.

edge_inputs() ->
    ["", "1.2.3.4", "192.168.42.2", "127.1", "127.0.1", "1", "4294967295", "4294967296",
     "0x7f.1", "0X7F.0.0.1", "017.0.0.1", "0", "00", "000000000000001", "0x", "0x.1.2.3",
     "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "+1.2.3.4", "-0.1.2.3", "-1.2.3.4",
     "1.+2.3.4", "0x+f.1.2.3", "0x-1.1.2.3", "256.1.1.1", "1.256.1.1", "1.1.65535",
     "1.1.65536", "1.16777215", "1.16777216", "08.1.1.1", "0.0.0.0", "01.1.1.1", "1.2.3.04",
     "::", ":::", "::1", "1::", "1::2", "::ffff:1.2.3.4", "::FFFF:192.168.42.2", "::1.2.3.4",
     "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5::1.2.3.4",
     "1::1.2.3.4", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7", "12345::",
     "fe80::1%lo", "fe80::1%0", "fe80::1%025", "fe80::1%065535", "fe80::1%065536",
     "ff02::1%3", "fe80::%", "fe80::%0", "1::2%0", "fe80:0:0:0:0:0:0:1%01",
     "fe80:1:0:0:0:0:0:1%01", "FE80::ABCD", "3ffe:b80:1f8d:2:204:acff:fe17:bf38",
     "fe80::204:acff:fe17:bf38", "::192.168.42.2", "1.2.3.4%0", "::1.2.3", "::1.2.3.04",
     [$1|foo], "1.2.3.4" ++ foo, [$0|foo], [$0, $x|foo], [$0, $0|foo], "0." ++ bar,
     [$f,$e,$8,$0,$:,$:,$1,$%|foo], "fe80::1%0" ++ [49.5], "fe80::1%0" ++ [49.0],
     [49.0, $., $2, $., $3, $., $4], [$1, $., 50.0, $., $3, $., $4], [$:, $:, 49.0],
     "::" ++ [100.5], [$1, foo, $2], [$:, $:, foo], "1." ++ [-1] ++ ".2.3",
     [1 bsl 70, $.], [$1 | <<"2">>], "١.٢.٣.٤", "fe80::1%" ++ [1000, foo], "∞",
     foo, <<"1.2.3.4">>, 1234, 1.5, {1,2,3,4}, #{}, [], [[]], self(), make_ref(),
     lists:duplicate(5000, $1), lists:duplicate(300, $:)].

random_string() ->
    Alphabet = "0123456789abcdefABCDEFxX.:%",
    Len = rand:uniform(46) - 1,
    [case rand:uniform(40) of
         1 -> lists:nth(rand:uniform(5), [$+, $-, $g, 16#663, $\s]);
         _ -> lists:nth(rand:uniform(length(Alphabet)), Alphabet)
     end || _ <- lists:seq(1, Len)].

tuples() ->
    Word = fun() -> case rand:uniform(3) of 1 -> 0; 2 -> rand:uniform(16) - 1; 3 -> rand:uniform(65536) - 1 end end,
    Byte = fun() -> rand:uniform(256) - 1 end,
    [{1,2,3,4}, {0,0,0,0}, {255,255,255,255}, {256,0,0,0}, {-1,0,0,0}, {1.0,2,3,4},
     {a,b,c,d}, {1,2,3}, {1,2,3,4,5}, {}, [1,2,3,4], foo, {0,0,0,0,0,0,0,0},
     {0,0,0,0,0,0,0,1}, {0,0,0,0,0,0,0,2}, {0,0,0,0,0,0,1,0}, {0,0,0,0,0,65535,1,2},
     {0,0,0,0,0,65535,0,0}, {16#fe80,0,0,0,0,0,0,1}, {16#fe80,5,0,0,0,0,0,1},
     {16#ff02,1,0,0,0,0,0,1}, {16#fe80,1,0,0,1,0,0,1}, {1,0,0,1,0,0,0,1},
     {1,0,0,0,1,0,0,1}, {0,0,1,0,0,0,1,0}, {1,0,0,2,0,0,0,0}, {0,0,0,1,0,0,0,0},
     {65536,0,0,0,0,0,0,0}, {-1,0,0,0,0,0,0,0}, {1 bsl 80, 0, 0, 0}, {-(1 bsl 80), 0, 0, 0},
     {0,0,0,0,0,0,-(1 bsl 70),-300}, {0,0,0,0,0,0,0,0,0}]
        ++ [{Byte(), Byte(), Byte(), Byte()} || _ <- lists:seq(1, 200)]
        ++ [list_to_tuple([Word() || _ <- lists:seq(1, 8)]) || _ <- lists:seq(1, 500)].

error_reasons() ->
    {ok, Text} = file:read_file(filename:join([filename:dirname(escript:script_name()),
                                               "..", "..", "shared", "inet-manual.txt"])),
    {match, Atoms} = re:run(Text, "^(e[a-z0-9]+|nxdomain) - ", [multiline, global, {capture, all_but_first, list}]),
    [list_to_atom(A) || [A] <- Atoms]
        ++ [system_limit, exbadport, exbadseq, formerr, qfmterror, servfail, notimp,
            refused, badvers, timeout, no_such_atom, 'EACCES', 42, "eacces", {eacces}, <<"x">>].
