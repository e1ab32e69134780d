package jinet.inet;

/** Linux errno numbers to the atoms BEAM's erl_errno_id gives them. */
public final class Errno {
    private static final String[] NAMES = new String[134];

    static {
        String[] pairs = {
            "1 eperm", "2 enoent", "3 esrch", "4 eintr", "5 eio", "6 enxio", "7 e2big",
            "8 enoexec", "9 ebadf", "10 echild", "11 eagain", "12 enomem", "13 eacces",
            "14 efault", "15 enotblk", "16 ebusy", "17 eexist", "18 exdev", "19 enodev",
            "20 enotdir", "21 eisdir", "22 einval", "23 enfile", "24 emfile", "25 enotty",
            "26 etxtbsy", "27 efbig", "28 enospc", "29 espipe", "30 erofs", "31 emlink",
            "32 epipe", "33 edom", "34 erange", "35 edeadlk", "36 enametoolong", "37 enolck",
            "38 enosys", "39 enotempty", "40 eloop", "42 enomsg", "43 eidrm", "61 enodata",
            "62 etime", "71 eproto", "75 eoverflow", "84 eilseq", "88 enotsock",
            "89 edestaddrreq", "90 emsgsize", "91 eprototype", "92 enoprotoopt",
            "93 eprotonosupport", "94 esocktnosupport", "95 eopnotsupp", "96 epfnosupport",
            "97 eafnosupport", "98 eaddrinuse", "99 eaddrnotavail", "100 enetdown",
            "101 enetunreach", "102 enetreset", "103 econnaborted", "104 econnreset",
            "105 enobufs", "106 eisconn", "107 enotconn", "108 eshutdown", "109 etoomanyrefs",
            "110 etimedout", "111 econnrefused", "112 ehostdown", "113 ehostunreach",
            "114 ealready", "115 einprogress", "116 estale", "122 edquot",
        };
        for (String p : pairs) {
            int sp = p.indexOf(' ');
            NAMES[Integer.parseInt(p.substring(0, sp))] = p.substring(sp + 1);
        }
    }

    private Errno() {
    }

    /** Whether {@code name} is none of the names this table gives. */
    public static boolean isUnknown(String name) {
        for (String n : NAMES) {
            if (name.equals(n)) {
                return false;
            }
        }
        return true;
    }

    /** The atom's name; BEAM's "unknown" for numbers it has no name for. */
    public static String name(int errno) {
        return errno > 0 && errno < NAMES.length && NAMES[errno] != null ? NAMES[errno] : "unknown";
    }
}
