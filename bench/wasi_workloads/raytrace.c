// A small ray tracer written for hashos: spheres on a checkered plane, diffuse and specular
// light, shadows and two bounces of reflection, rendered at WIDTH x HEIGHT. Prints a checksum of
// the 8-bit pixels; the same binary gives the same pixels on every engine (wasm floats are IEEE).
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#ifndef WIDTH
#define WIDTH 640
#define HEIGHT 480
#endif

typedef struct {
    double x, y, z;
} Vec;

static Vec add(Vec a, Vec b) { return (Vec) { a.x + b.x, a.y + b.y, a.z + b.z }; }
static Vec sub(Vec a, Vec b) { return (Vec) { a.x - b.x, a.y - b.y, a.z - b.z }; }
static Vec scale(Vec a, double s) { return (Vec) { a.x * s, a.y * s, a.z * s }; }
static double dot(Vec a, Vec b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static Vec normalize(Vec a) { return scale(a, 1.0 / sqrt(dot(a, a))); }

typedef struct {
    Vec center;
    double radius;
    Vec color;
    double reflect;
} Sphere;

static const Sphere spheres[] = {
    { { 0, 1, 5 }, 1, { 0.9, 0.2, 0.2 }, 0.3 },
    { { -2.2, 0.8, 6 }, 0.8, { 0.2, 0.9, 0.3 }, 0.2 },
    { { 2.1, 0.6, 4.2 }, 0.6, { 0.3, 0.4, 0.95 }, 0.5 },
    { { 0.7, 0.3, 3 }, 0.3, { 0.9, 0.9, 0.2 }, 0.1 },
};
enum { SPHERES = sizeof(spheres) / sizeof(spheres[0]) };
static const Vec light = { -4, 6, -2 };

// The nearest hit along the ray: its distance (or INFINITY), and which object (-1: the plane).
static double hit(Vec origin, Vec direction, int* which)
{
    double nearest = INFINITY;
    *which = -2;
    for (int i = 0; i < SPHERES; ++i) {
        Vec to = sub(origin, spheres[i].center);
        double b = dot(to, direction);
        double c = dot(to, to) - spheres[i].radius * spheres[i].radius;
        double disc = b * b - c;
        if (disc < 0)
            continue;
        double t = -b - sqrt(disc);
        if (t > 1e-6 && t < nearest) {
            nearest = t;
            *which = i;
        }
    }
    if (direction.y < -1e-9) {
        double t = -origin.y / direction.y;
        if (t > 1e-6 && t < nearest) {
            nearest = t;
            *which = -1;
        }
    }
    return nearest;
}

static Vec trace(Vec origin, Vec direction, int depth)
{
    int which;
    double t = hit(origin, direction, &which);
    if (which == -2)
        return (Vec) { 0.5 + 0.3 * direction.y, 0.7 + 0.2 * direction.y, 0.9 };
    Vec point = add(origin, scale(direction, t));
    Vec normal, color;
    double reflect;
    if (which == -1) {
        normal = (Vec) { 0, 1, 0 };
        int check = ((int)floor(point.x) + (int)floor(point.z)) & 1;
        color = check ? (Vec) { 0.9, 0.9, 0.9 } : (Vec) { 0.2, 0.2, 0.2 };
        reflect = 0.15;
    } else {
        normal = normalize(sub(point, spheres[which].center));
        color = spheres[which].color;
        reflect = spheres[which].reflect;
    }
    Vec to_light = normalize(sub(light, point));
    int blocker;
    double shadow_t = hit(add(point, scale(normal, 1e-4)), to_light, &blocker);
    double lit = blocker == -2 || shadow_t > sqrt(dot(sub(light, point), sub(light, point))) ? 1.0 : 0.25;
    double diffuse = fmax(0.0, dot(normal, to_light)) * lit;
    Vec half = normalize(sub(to_light, direction));
    double specular = pow(fmax(0.0, dot(normal, half)), 40) * lit;
    Vec result = add(scale(color, 0.1 + 0.9 * diffuse), (Vec) { specular, specular, specular });
    if (depth < 2 && reflect > 0) {
        Vec bounce = sub(direction, scale(normal, 2 * dot(direction, normal)));
        result = add(scale(result, 1 - reflect), scale(trace(add(point, scale(normal, 1e-4)), bounce, depth + 1), reflect));
    }
    return result;
}

static uint8_t channel(double value) { return (uint8_t)(value >= 1 ? 255 : value <= 0 ? 0 : value * 255 + 0.5); }

int main(void)
{
    uint32_t checksum = 2166136261u;
    Vec eye = { 0, 1.2, -1.5 };
    for (int y = 0; y < HEIGHT; ++y) {
        for (int x = 0; x < WIDTH; ++x) {
            // Two samples per pixel, side by side.
            Vec sum = { 0, 0, 0 };
            for (int s = 0; s < 2; ++s) {
                double u = ((x + 0.25 + 0.5 * s) / WIDTH - 0.5) * 1.6;
                double v = (0.5 - (y + 0.5) / HEIGHT) * 1.2;
                sum = add(sum, trace(eye, normalize((Vec) { u, v, 1 }), 0));
            }
            Vec pixel = scale(sum, 0.5);
            checksum = (checksum ^ channel(pixel.x)) * 16777619u;
            checksum = (checksum ^ channel(pixel.y)) * 16777619u;
            checksum = (checksum ^ channel(pixel.z)) * 16777619u;
        }
    }
    printf("raytrace %dx%d checksum %08x\n", WIDTH, HEIGHT, checksum);
    return 0;
}
