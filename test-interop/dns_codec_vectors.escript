#!/usr/bin/env escript
%% -*- erlang -*-
%%
%% BEAM's side of jinet's DNS codec test (java/src/test/java/jinet/inet/dns/DnsCodecTest.java).
%% Reads one case per line on stdin and writes, per case, one line: the hex of
%% term_to_binary(Outcome), where Outcome is what OTP's own inet_dns / inet_db gave.
%%
%%   D Hex                               inet_dns:decode(Bin): {ok,Rec} | {error,formerr},
%%                                       or {crash,Class,Reason} when decode/1 raises
%%   E Id RD Type Class Payload Version Domain
%%                                       inet_dns:encode/1 of the #dns_rec inet_res:make_query/5
%%                                       builds: {ok,Bin} | {raise,Class,Reason};
%%                                       Payload "-" for no EDNS
%%   L Domain                            inet_db:tolower(Domain)
%%   Q Domain Domain                     inet_db:eq_domains(A, B)
%%
%% A Domain is "-" for "" or its code points in decimal joined with ",".
-include_lib("kernel/src/inet_dns.hrl").

main(_) ->
    ok = io:setopts(standard_io, [binary]),
    loop().

loop() ->
    case io:get_line("") of
        eof -> halt(0);
        Line ->
            Words = string:lexemes(string:trim(Line, trailing, "\r\n"), " "),
            Outcome = answer([binary_to_list(W) || W <- Words]),
            io:put_chars([binary:encode_hex(term_to_binary(Outcome)), $\n]),
            loop()
    end.

answer(["D", Hex]) ->
    decode(binary:decode_hex(list_to_binary(Hex)));
answer(["D"]) ->
    decode(<<>>);
answer(["E", Id, RD, Type, Class, Payload, Version, Domain]) ->
    Edns = case Payload of
               "-" -> false;
               _ -> list_to_integer(Version)
           end,
    ARList = case Edns of
                 false -> [];
                 _ -> [#dns_rr_opt{udp_payload_size = list_to_integer(Payload), version = Edns}]
             end,
    Msg = #dns_rec{header = #dns_header{id = list_to_integer(Id),
                                        qr = false,
                                        opcode = 'query',
                                        rd = RD =:= "1",
                                        rcode = ?NOERROR},
                   qdlist = [#dns_query{domain = chars(Domain),
                                        type = list_to_integer(Type),
                                        class = list_to_integer(Class)}],
                   arlist = ARList},
    try inet_dns:encode(Msg) of
        Bin -> {ok, Bin}
    catch
        C:R -> {raise, C, R}
    end;
answer(["L", Domain]) ->
    inet_db:tolower(chars(Domain));
answer(["Q", A, B]) ->
    inet_db:eq_domains(chars(A), chars(B)).

decode(Bin) ->
    try inet_dns:decode(Bin)
    catch C:R -> {crash, C, R}
    end.

chars("-") -> "";
chars(Codes) -> [list_to_integer(C) || C <- string:lexemes(Codes, ",")].
