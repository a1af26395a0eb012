package org.quizengine.engine.matchmaking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.quizengine.shared.ErrorCode;
import org.quizengine.shared.QuizException;
import org.quizengine.shared.protocol.PlayerInfo;
import org.quizengine.shared.protocol.ServerEvent;

/** Private lobbies by join code. Pure: randomness is injected. */
final class Lobbies {
    /** No 0/O or 1/I/L: codes are read aloud and typed by hand. */
    static final String CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    static final int CODE_LENGTH = 6;

    /** A lobby's chosen settings. */
    record Settings(String category, int maxPlayers, int questionCount, int secondsPerQuestion) {
    }

    static final class Lobby {
        final String code;
        final UUID hostId;
        final Settings settings;
        final LinkedHashMap<UUID, Waiting> members = new LinkedHashMap<>();

        Lobby(String code, UUID hostId, Settings settings) {
            this.code = code;
            this.hostId = hostId;
            this.settings = settings;
        }

        ServerEvent.Lobby view() {
            List<PlayerInfo> players = new ArrayList<>(members.size());
            members.values().forEach(w -> players.add(w.player()));
            return new ServerEvent.Lobby(code, hostId, settings.category(), settings.maxPlayers(),
                settings.questionCount(), settings.secondsPerQuestion(), players);
        }
    }

    /** What leaving did: the lobby, and whether it closed (its host left). */
    record Departure(Lobby lobby, boolean closed) {
    }

    private final Random random;
    private final Map<String, Lobby> byCode = new HashMap<>();
    private final Map<UUID, Lobby> byMember = new HashMap<>();

    Lobbies(Random random) {
        this.random = random;
    }

    boolean contains(UUID userId) {
        return byMember.containsKey(userId);
    }

    Lobby create(Waiting host, Settings settings) {
        String code;
        do {
            code = newCode();
        } while (byCode.containsKey(code));
        Lobby lobby = new Lobby(code, host.player().userId(), settings);
        lobby.members.put(host.player().userId(), host);
        byCode.put(code, lobby);
        byMember.put(host.player().userId(), lobby);
        return lobby;
    }

    Lobby join(String code, Waiting member) {
        Lobby lobby = code == null ? null : byCode.get(code.trim().toUpperCase(Locale.ROOT));
        if (lobby == null) {
            throw new QuizException(ErrorCode.LOBBY_NOT_FOUND, "No lobby has that code.");
        }
        if (lobby.members.size() >= lobby.settings.maxPlayers()) {
            throw new QuizException(ErrorCode.LOBBY_FULL, "The lobby is full.");
        }
        lobby.members.put(member.player().userId(), member);
        byMember.put(member.player().userId(), lobby);
        return lobby;
    }

    /** The player leaves their lobby; the host leaving closes it for everyone. Null when in no lobby. */
    Departure leave(UUID userId) {
        Lobby lobby = byMember.get(userId);
        if (lobby == null) {
            return null;
        }
        if (lobby.hostId.equals(userId)) {
            close(lobby);
            return new Departure(lobby, true);
        }
        lobby.members.remove(userId);
        byMember.remove(userId);
        return new Departure(lobby, false);
    }

    /** The host starts their lobby: it is removed and returned for its match to be formed. */
    Lobby start(UUID userId, int minPlayers) {
        Lobby lobby = byMember.get(userId);
        if (lobby == null) {
            throw new QuizException(ErrorCode.NOT_IN_LOBBY, "You are not in a lobby.");
        }
        if (!lobby.hostId.equals(userId)) {
            throw new QuizException(ErrorCode.NOT_LOBBY_HOST, "Only the lobby's host can start it.");
        }
        if (lobby.members.size() < minPlayers) {
            throw new QuizException(ErrorCode.NOT_ENOUGH_PLAYERS,
                "A match needs at least " + minPlayers + " players; the lobby has " + lobby.members.size() + ".");
        }
        close(lobby);
        return lobby;
    }

    private void close(Lobby lobby) {
        byCode.remove(lobby.code);
        lobby.members.keySet().forEach(byMember::remove);
    }

    private String newCode() {
        StringBuilder code = new StringBuilder(CODE_LENGTH);
        for (int i = 0; i < CODE_LENGTH; i++) {
            code.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        }
        return code.toString();
    }
}
