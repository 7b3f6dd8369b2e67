package io.fatechat.mysql.internal;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/** Makes HikariCP drop connections H2 reports broken (state 90067), which it would otherwise hand out again. */
public final class EvictBrokenConnections implements SQLExceptionOverride {

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return SqlErrorClassifier.isConnectionBroken(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
