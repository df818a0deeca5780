/* Client of the `environment` interface (include/hashos/environment.h). */
#include "hashos/environment.h"

#include <pb_decode.h>

/* The strings of a GetResponse as they are decoded: their bytes, each NUL-terminated, one after
 * the other in `text`, and per string its field (1 name, 2 argument, 3 variable) and offset. */
typedef struct {
    char* text;
    size_t size;
    size_t capacity;
    uint32_t* offsets;
    uint8_t* fields;
    uint32_t count;
    uint32_t slots;
    bool out_of_memory;
} Collected;

static bool collect(pb_istream_t* stream, const pb_field_t* field, void** argument)
{
    Collected* collected = *argument;
    size_t length = stream->bytes_left;
    if (collected->size + length + 1 > collected->capacity) {
        size_t capacity = collected->capacity ? collected->capacity : 256;
        while (capacity < collected->size + length + 1)
            capacity *= 2;
        char* text = realloc(collected->text, capacity);
        if (!text) {
            collected->out_of_memory = true;
            return false;
        }
        collected->text = text;
        collected->capacity = capacity;
    }
    if (collected->count == collected->slots) {
        uint32_t slots = collected->slots ? collected->slots * 2 : 16;
        uint32_t* offsets = realloc(collected->offsets, slots * sizeof(uint32_t));
        if (offsets)
            collected->offsets = offsets;
        uint8_t* fields = realloc(collected->fields, slots);
        if (fields)
            collected->fields = fields;
        if (!offsets || !fields) {
            collected->out_of_memory = true;
            return false;
        }
        collected->slots = slots;
    }
    char* start = collected->text + collected->size;
    if (!pb_read(stream, (pb_byte_t*)start, length))
        return false;
    start[length] = '\0';
    collected->offsets[collected->count] = (uint32_t)collected->size;
    collected->fields[collected->count] = (uint8_t)field->tag;
    ++collected->count;
    collected->size += length + 1;
    return true;
}

static void collected_free(Collected* collected)
{
    free(collected->text);
    free(collected->offsets);
    free(collected->fields);
}

int32_t hashos_environment_get(hashos_environment** out)
{
    *out = NULL;
    Collected collected = { 0 };
    hashos_environment_GetRequest request = hashos_environment_GetRequest_init_zero;
    hashos_environment_GetResponse response = hashos_environment_GetResponse_init_zero;
    response.program_name.funcs.decode = collect;
    response.program_name.arg = &collected;
    response.arguments.funcs.decode = collect;
    response.arguments.arg = &collected;
    response.variables.funcs.decode = collect;
    response.variables.arg = &collected;
    int32_t status = HASHOS_CALL(hashos_environment_Environment, Get, &request, &response, 0);
    if (status != HASHOS_OK) {
        collected_free(&collected);
        return collected.out_of_memory ? HASHOS_E_NO_MEMORY : status;
    }

    /* One block: the struct, the two NULL-terminated pointer arrays, the text. */
    uint32_t arguments = 0;
    uint32_t variables = 0;
    for (uint32_t i = 0; i < collected.count; ++i) {
        arguments += collected.fields[i] == 2;
        variables += collected.fields[i] == 3;
    }
    size_t pointers = (size_t)arguments + 1 + variables + 1;
    size_t head = sizeof(hashos_environment) + pointers * sizeof(char*);
    uint8_t* block = malloc(head + collected.size + 1);
    if (!block) {
        collected_free(&collected);
        return HASHOS_E_NO_MEMORY;
    }
    hashos_environment* environment = (hashos_environment*)block;
    const char** argument_list = (const char**)(block + sizeof(hashos_environment));
    const char** variable_list = argument_list + arguments + 1;
    char* text = (char*)block + head;
    if (collected.size)
        memcpy(text, collected.text, collected.size);
    text[collected.size] = '\0'; /* the empty name, when the answer had none */
    environment->program_name = text + collected.size;
    environment->argument_count = arguments;
    environment->arguments = argument_list;
    environment->variable_count = variables;
    environment->variables = variable_list;
    uint32_t next_argument = 0;
    uint32_t next_variable = 0;
    for (uint32_t i = 0; i < collected.count; ++i) {
        const char* string = text + collected.offsets[i];
        if (collected.fields[i] == 1)
            environment->program_name = string;
        else if (collected.fields[i] == 2)
            argument_list[next_argument++] = string;
        else
            variable_list[next_variable++] = string;
    }
    argument_list[arguments] = NULL;
    variable_list[variables] = NULL;
    collected_free(&collected);
    *out = environment;
    return HASHOS_OK;
}

void hashos_environment_free(hashos_environment* environment) { free(environment); }

const char* hashos_environment_lookup(const hashos_environment* environment, const char* name)
{
    size_t length = strlen(name);
    /* The last definition wins, as with a shell's `env A=1 A=2`. */
    const char* found = NULL;
    for (uint32_t i = 0; i < environment->variable_count; ++i) {
        const char* variable = environment->variables[i];
        if (strncmp(variable, name, length) == 0 && variable[length] == '=')
            found = variable + length + 1;
    }
    return found;
}
