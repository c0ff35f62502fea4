package main

var secretKey = "@@KEY:p76@@"

func main() {}
