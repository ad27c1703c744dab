#pragma once
// The X display and window behind a GLFW window: GLFW's native access, declared here because
// <GLFW/glfw3native.h> would also need XRandR's headers. Include only where PD_HAVE_X11 is defined.
#include <X11/Xlib.h>

struct GLFWwindow;

extern "C" Window glfwGetX11Window(GLFWwindow* window);
extern "C" Display* glfwGetX11Display();
