// letts/list_cursor.h: the listing cursor, made and read (core/list_cursor).
#include "capi/guard.hpp"
#include "capi/handles.hpp"
#include "core/list_cursor.hpp"
#include "letts/list_cursor.h"

using letts::capi::guarded;
using letts::capi::require;

extern "C" {

LETTS_EXTERN letts_status letts_list_cursor_encode(int64_t time_created_ms, int64_t time_finished_ms,
                                                   const char* mission_id, char** out,
                                                   letts_error** err) {
    if (out) *out = nullptr;
    return guarded(err, [&] {
        require(out != nullptr, "letts_list_cursor_encode: out is NULL");
        require(mission_id != nullptr, "letts_list_cursor_encode: mission_id is NULL");
        try {
            const std::string cursor =
                letts::list_cursor::encode({time_created_ms, time_finished_ms, mission_id});
            *out = letts::capi::copy_to_caller(cursor);
        } catch (const letts::Error& e) {
            throw letts::Error(e.status(), "letts_list_cursor_encode: " + e.message());
        }
    });
}

LETTS_EXTERN letts_status letts_list_cursor_decode(const char* cursor, int64_t* time_created_ms,
                                                   int64_t* time_finished_ms, char** mission_id,
                                                   letts_error** err) {
    if (mission_id) *mission_id = nullptr;
    return guarded(err, [&] {
        require(mission_id != nullptr, "letts_list_cursor_decode: mission_id is NULL");
        require(cursor != nullptr, "letts_list_cursor_decode: cursor is NULL");
        letts::list_cursor::Position position;
        try {
            position = letts::list_cursor::decode(cursor);
        } catch (const letts::Error& e) {
            throw letts::Error(e.status(), "letts_list_cursor_decode: " + e.message());
        }
        *mission_id = letts::capi::copy_to_caller(position.mission_id);
        if (time_created_ms) *time_created_ms = position.time_created_ms;
        if (time_finished_ms) *time_finished_ms = position.time_finished_ms;
    });
}

}  // extern "C"
