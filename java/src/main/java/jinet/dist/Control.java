package jinet.dist;

/** Control message tags of the distribution protocol that this runtime reads or writes. */
final class Control {
    static final int LINK = 1;
    static final int SEND = 2;
    static final int EXIT = 3;
    static final int UNLINK = 4;
    static final int REG_SEND = 6;
    static final int GROUP_LEADER = 7;
    static final int EXIT2 = 8;
    static final int SEND_TT = 12;
    static final int EXIT_TT = 13;
    static final int REG_SEND_TT = 16;
    static final int EXIT2_TT = 18;
    static final int MONITOR_P = 19;
    static final int DEMONITOR_P = 20;
    static final int MONITOR_P_EXIT = 21;
    static final int SPAWN_REQUEST = 29;
    static final int SPAWN_REQUEST_TT = 30;
    static final int SPAWN_REPLY = 31;
    static final int ALIAS_SEND = 33;
    static final int ALIAS_SEND_TT = 34;
    static final int UNLINK_ID = 35;
    static final int UNLINK_ID_ACK = 36;

    /** SPAWN_REPLY flags: what was set up with the new process. */
    static final int SPAWN_REPLY_LINKED = 1;
    static final int SPAWN_REPLY_MONITORED = 2;

    private Control() {
    }
}
