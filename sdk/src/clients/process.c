/* Client of the `process` interface (include/hashos/process.h). */
#include "hashos/process.h"

#include <pb_decode.h>
#include <pb_encode.h>

typedef struct {
    const char* const* items;
    uint32_t count;
} Strings;

/* Each string of a Strings as one occurrence of a repeated string field. */
static bool encode_arguments(pb_ostream_t* stream, const pb_field_t* field, void* const* argument)
{
    const Strings* strings = *argument;
    for (uint32_t i = 0; i < strings->count; ++i) {
        const char* text = strings->items[i];
        if (!pb_encode_tag_for_field(stream, field) || !pb_encode_string(stream, (const pb_byte_t*)text, strlen(text)))
            return false;
    }
    return true;
}

int32_t hashos_process_spawn(const char* cid, const char* const* arguments, uint32_t argument_count,
    uint64_t* process_id)
{
    return hashos_process_spawn_with_environment(cid, arguments, argument_count, NULL, 0, process_id);
}

int32_t hashos_process_spawn_with_environment(const char* cid, const char* const* arguments,
    uint32_t argument_count, const char* const* environment, uint32_t environment_count, uint64_t* process_id)
{
    hashos_process_SpawnRequest request = hashos_process_SpawnRequest_init_zero;
    if (strlen(cid) >= sizeof(request.cid))
        return HASHOS_E_ENCODE;
    memcpy(request.cid, cid, strlen(cid) + 1);
    Strings argument_strings = { arguments, argument_count };
    request.arguments.funcs.encode = encode_arguments;
    request.arguments.arg = &argument_strings;
    Strings environment_strings = { environment, environment_count };
    request.environment.funcs.encode = encode_arguments;
    request.environment.arg = &environment_strings;
    hashos_process_SpawnResponse response = hashos_process_SpawnResponse_init_zero;
    int32_t status = HASHOS_CALL(hashos_process_Process, Spawn, &request, &response, 0);
    *process_id = response.process_id;
    return status;
}

int32_t hashos_process_wait(uint64_t process_id, hashos_process_WaitResponse* result)
{
    hashos_process_WaitRequest request = hashos_process_WaitRequest_init_zero;
    request.process_id = process_id;
    *result = (hashos_process_WaitResponse)hashos_process_WaitResponse_init_zero;
    return HASHOS_CALL(hashos_process_Process, Wait, &request, result, 0);
}

typedef struct {
    hashos_process_ProcessInfo* items;
    uint32_t capacity;
    uint32_t count;
} Infos;

static bool decode_info(pb_istream_t* stream, const pb_field_t* field, void** argument)
{
    Infos* infos = *argument;
    hashos_process_ProcessInfo info = hashos_process_ProcessInfo_init_zero;
    if (!pb_decode(stream, hashos_process_ProcessInfo_fields, &info))
        return false;
    if (infos->count < infos->capacity)
        infos->items[infos->count] = info;
    ++infos->count;
    return true;
}

int32_t hashos_process_list(hashos_process_ProcessInfo* processes, uint32_t capacity, uint32_t* count)
{
    hashos_process_ListRequest request = hashos_process_ListRequest_init_zero;
    hashos_process_ListResponse response = hashos_process_ListResponse_init_zero;
    Infos infos = { processes, capacity, 0 };
    response.processes.funcs.decode = decode_info;
    response.processes.arg = &infos;
    int32_t status = HASHOS_CALL(hashos_process_Process, List, &request, &response, 0);
    *count = infos.count;
    return status;
}
