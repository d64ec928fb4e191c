package reliability_test

func concurrentChild() int { return 0 }
