// Command born runs OpenQASM circuits and trains Born machines.
package main

func main() { Execute() }
