region     = "eu-west-1"
access_key = "AKIA0000000EXAMPLE"
secret_key = "q7Xk2mPp9zRr4tWw8vJj3nBb6cDd1fHh5gYy2uEe"
