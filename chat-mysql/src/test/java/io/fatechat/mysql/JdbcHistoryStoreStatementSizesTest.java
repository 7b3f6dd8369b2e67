package io.fatechat.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcHistoryStoreStatementSizesTest {

    @Test
    void everyBatchSizeIsCoveredExactlyByTheFewPreparedShapes() {
        List<Integer> shapes =
                Arrays.stream(JdbcHistoryStore.STATEMENT_ROWS).boxed().toList();
        for (int rows = 1; rows <= 2_500; rows++) {
            List<Integer> sizes = JdbcHistoryStore.statementSizes(rows);
            assertThat(sizes.stream().mapToInt(Integer::intValue).sum())
                    .as("rows covered for %d", rows)
                    .isEqualTo(rows);
            assertThat(shapes).as("shapes for %d", rows).containsAll(sizes);
        }
    }

    @Test
    void largestShapesComeFirst() {
        assertThat(JdbcHistoryStore.statementSizes(1_300)).containsExactly(1000, 256, 16, 16, 4, 4, 4);
        assertThat(JdbcHistoryStore.statementSizes(1)).containsExactly(1);
        assertThat(JdbcHistoryStore.statementSizes(0)).isEmpty();
    }
}
