# comment only


    # indented comment
