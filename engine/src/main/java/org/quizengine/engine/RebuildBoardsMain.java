package org.quizengine.engine;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.quizengine.api.leaderboard.LeaderboardRebuild;
import org.quizengine.api.leaderboard.LeaderboardStore;
import org.quizengine.api.leaderboard.RebuildReport;
import org.quizengine.api.storage.StorageOptions;
import org.quizengine.api.storage.Stores;

/**
 * Rebuilds every leaderboard in Redis from PostgreSQL once, then exits: the rebuild behind
 * {@code POST /api/v1/admin/leaderboards/rebuild} ({@link LeaderboardRebuild}), for an operator
 * whose nodes are stopped (after a restore, {@code deploy/backup/pg-restore.sh} runs it) or who has
 * no admin token at hand. It is safe while nodes run too: the rebuild takes the same lock.
 *
 * <p>{@code java -cp quiz-node.jar org.quizengine.engine.RebuildBoardsMain}, configured like a node,
 * but both {@code QUIZ_STORAGE_POSTGRES_URI} and {@code QUIZ_STORAGE_REDIS_URI} must be set: embedded
 * stores started here would be empty, or locked by the node that owns them. The schema is migrated
 * first, as a node would, so a dump from an older version is rebuilt with today's queries.
 * Exit status: 0 rebuilt, 1 the rebuild failed (the boards are left as they were), 2 bad configuration.
 */
public final class RebuildBoardsMain {
    private static final long TIMEOUT_MINUTES = LeaderboardRebuild.LOCK_TTL.toMinutes() + 2;

    private RebuildBoardsMain() {
    }

    public static void main(String[] args) {
        StorageOptions options = StoresMain.storageOrExit();
        if (options.embedsPostgres() || options.embedsRedis()) {
            System.err.println("Configuration error: set both " + StoresMain.POSTGRES_URI_VARIABLE + " and "
                + StoresMain.REDIS_URI_VARIABLE + " (for embedded stores, run StoresMain on the node's data"
                + " directory and use the URIs it writes to " + StoresMain.ENV_FILE + ")");
            System.exit(2);
            return;
        }
        System.exit(rebuild(options));
    }

    private static int rebuild(StorageOptions options) {
        Vertx vertx = Vertx.vertx();
        try {
            RebuildReport report = Stores.start(vertx, options)
                .compose(stores -> new LeaderboardRebuild(stores.pool(), new LeaderboardStore(stores.redis()),
                    Clock.systemUTC()).run().eventually(stores::close))
                .toCompletionStage().toCompletableFuture().get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            report.boards().forEach(board -> System.out.println("board " + board.board() + ": " + board.players()
                + " players"));
            System.out.println("Leaderboards rebuilt from PostgreSQL: " + report.boards().size() + " boards, "
                + report.players() + " players of all time, " + report.matches() + " matches, "
                + report.appliedDuringRebuild() + " results applied meanwhile");
            return 0;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("The leaderboard rebuild failed: " + cause.getMessage());
            return 1;
        } finally {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("Vert.x did not close cleanly: " + e);
            }
        }
    }
}
