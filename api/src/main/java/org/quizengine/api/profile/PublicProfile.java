package org.quizengine.api.profile;

import java.util.UUID;

/**
 * What any signed-in user may see of another: never the email, role, sessions or when they last
 * played. The id is public anyway (leaderboard lines carry it).
 *
 * @param displayName may be {@code null}
 * @param avatarUrl   may be {@code null}
 * @param memberSince ISO-8601 instant the account was created
 * @param stats       lifetime stats, {@link PlayerStats#publicView()}
 */
public record PublicProfile(UUID id, String username, String displayName, String avatarUrl, String memberSince,
                            PlayerStats stats) {
}
